import { canonicalJson } from '../domain/canonical';
import { sha256Hex } from '../store/chain';
import type { Checkpoint, CheckpointBody } from '../store/store';

export const checkpointBody = ({ id: _id, signature: _sig, ...body }: Checkpoint): CheckpointBody => body;

/** What the next checkpoint signs as its predecessor: the whole signed checkpoint, signature included. */
export const checkpointHash = (cp: Checkpoint): string =>
  sha256Hex(canonicalJson({ body: checkpointBody(cp), signature: cp.signature }));
