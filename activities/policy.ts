import { ApplicationFailure } from '@temporalio/common';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { canonicalJson } from '../domain/canonical';
import type { DisclosureKind, PolicySlice } from '../domain/policy';
import { Policy } from '../domain/policy';
import type { PurposeStatement } from '../domain/purposes';
import { statementsOf } from '../domain/purposes';
import { FailureType } from '../domain/refusals';
import { sha256Hex } from '../store/chain';

/** Reads and checks the policy file; its digest is over the canonical form of what was parsed. */
export async function readPolicy(path: string): Promise<{ policy: Policy; digest: string }> {
  const invalid = (why: string) => ApplicationFailure.create({ message: `policy file ${path} is invalid:\n${why}`, type: FailureType.PolicyInvalid, nonRetryable: true });
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw invalid(err instanceof SyntaxError ? `not JSON (${err.message})` : `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const parsed = Policy.safeParse(json);
  if (!parsed.success) throw invalid(z.prettifyError(parsed.error));
  return { policy: parsed.data, digest: `sha256:${sha256Hex(canonicalJson(parsed.data))}` };
}

/**
 * The statement of a purpose as the policy file states it. With `version`, only when the file is
 * still that version, so a record never carries the words of a policy it was not made under.
 */
export async function purposeStatementFor(
  policyPath: string,
  kind: string,
  purpose: string,
  version?: string,
): Promise<PurposeStatement | undefined> {
  const { policy } = await readPolicy(policyPath);
  if (version !== undefined && policy.version !== version) return undefined;
  return statementsOf(policy)[kind]?.[purpose];
}

export function createPolicyActivities(deps: { policyPath: string }) {
  return {
    async loadPolicy(kind: DisclosureKind): Promise<PolicySlice> {
      const { policy, digest } = await readPolicy(deps.policyPath);
      const rule = policy.kinds[kind];
      if (rule === undefined) {
        throw ApplicationFailure.create({
          message: `policy ${policy.version} does not allow disclosures of kind ${kind}`,
          type: FailureType.PolicyInvalid,
          nonRetryable: true,
        });
      }
      return {
        version: policy.version,
        digest,
        provider: policy.provider,
        supervisionWindowDays: policy.supervisionWindowDays,
        kind,
        rule,
      };
    },
  };
}
