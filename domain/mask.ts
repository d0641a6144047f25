/**
 * Credentials inside URLs (`postgres://user:secret@host`, `smtps://user:secret@host`) replaced
 * by `***` wherever a URL is printed, logged or written to a file; the user name stays so that
 * a person can still tell which account is meant.
 */
export const maskUrlCredentials = (text: string): string =>
  text.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]*):([^\s/@]*)@/gi,
    (_m, scheme: string, user: string) => `${scheme}${user}:***@`,
  );
