import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Mailer } from '../../infra/mailer';
import { createMailer } from '../../infra/mailer';

/** A loopback SMTP server counting TCP connections and accepted messages; `onMessage` may interfere. */
interface CountingServer {
  url: string;
  connections: number;
  accepted: number;
  sockets: Socket[];
  stop(): Promise<void>;
}

async function startCountingServer(onMessage?: (n: number) => 'drop' | 'accept'): Promise<CountingServer> {
  const state = { connections: 0, accepted: 0, messages: 0, sockets: [] as Socket[] };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    closeTimeout: 100,
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on('end', () => {
        state.messages += 1;
        if (onMessage?.(state.messages) === 'drop') {
          // The connection goes away before the server says whether it took the message.
          state.sockets.at(-1)?.end();
          return;
        }
        state.accepted += 1;
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    state.connections += 1;
    state.sockets.push(socket);
  });
  const port = await new Promise<number>((resolve) => {
    const listener = server.listen(0, '127.0.0.1', () => {
      const address = listener.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    get accepted() {
      return state.accepted;
    },
    get sockets() {
      return state.sockets;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const message = (i: number) => ({
  from: 'engine@example.jp',
  to: 'dealer@example.jp',
  raw: Buffer.from(`From: engine@example.jp\r\nTo: dealer@example.jp\r\nSubject: handoff ${i}\r\n\r\nbody ${i}\r\n`),
});

describe('the SMTP mailer', () => {
  let server: CountingServer;
  let mailer: Mailer;
  afterEach(async () => {
    mailer.close();
    await server.stop();
  });

  test('consecutive messages go over one reused connection', async () => {
    server = await startCountingServer();
    mailer = createMailer({ smtpUrl: server.url });
    for (let i = 0; i < 5; i++) await mailer.send(message(i));
    expect(server.accepted).toBe(5);
    expect(server.connections).toBe(1);
  });

  test('messages sent at once use a few connections, not one each', async () => {
    server = await startCountingServer();
    mailer = createMailer({ smtpUrl: server.url });
    await Promise.all(Array.from({ length: 20 }, (_, i) => mailer.send(message(i))));
    expect(server.accepted).toBe(20);
    expect(server.connections).toBeGreaterThanOrEqual(1);
    expect(server.connections).toBeLessThanOrEqual(5);
  });

  test('a connection the server closed while idle is replaced for the next message', async () => {
    server = await startCountingServer();
    mailer = createMailer({ smtpUrl: server.url });
    await mailer.send(message(1));
    for (const socket of server.sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await mailer.send(message(2));
    expect(server.accepted).toBe(2);
    expect(server.connections).toBe(2);
  });

  test('a connection lost in the middle of a message fails that send and does not send it again', async () => {
    server = await startCountingServer((n) => (n === 1 ? 'drop' : 'accept'));
    mailer = createMailer({ smtpUrl: server.url });
    await expect(mailer.send(message(1))).rejects.toThrow();
    // Nothing was re-sent behind the caller's back: the one attempt is all the server saw.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.accepted).toBe(0);
    expect(server.connections).toBe(1);
    // The next send (the activity's retry) gets a new connection and goes through.
    await mailer.send(message(2));
    expect(server.accepted).toBe(1);
    expect(server.connections).toBe(2);
  });
});
