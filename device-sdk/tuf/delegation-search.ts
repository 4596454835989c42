/**
 * The target search of TUF 5.6.7: a pre-order depth-first walk of the delegation graph from
 * the top-level targets role. At each role: if it lists the target, that entry wins;
 * otherwise its delegations whose paths (or hash prefixes) cover the target are tried in
 * their listed order. A role already visited in this search is not visited again (5.6.7.1,
 * cycles); a terminating delegation ends the whole search once its subtree is done
 * (5.6.7.2.1); at most `maxRoles` delegated roles are loaded.
 *
 * Loading and verifying a role is the caller's job (`load`), and it receives the delegating
 * role on the current path: a role reachable through several delegators is checked against
 * the keys of the one that led here.
 *
 * @example
 * const found = await searchDelegations(trustedTargets, 'acme/t100-fw.bin', 32, load);
 */
import type { DelegatedRole, Metadata, TargetFile, Targets } from '../../manifests/index.js';
import { DeviceError } from '../errors.js';

export interface FoundTarget {
  readonly target: TargetFile;
  /** The role whose metadata lists the target. */
  readonly role: string;
}

/** Load and verify `delegation.name` as delegated by `delegator` (named `delegatorName`). */
export type LoadDelegatedRole = (delegation: DelegatedRole, delegatorName: string, delegator: Metadata<Targets>) => Promise<Metadata<Targets>>;

type Outcome = { readonly kind: 'found'; readonly found: FoundTarget } | { readonly kind: 'terminated' } | { readonly kind: 'not-here' };

interface SearchState {
  readonly path: string;
  readonly maxRoles: number;
  readonly visited: Set<string>;
  readonly load: LoadDelegatedRole;
}

export async function searchDelegations(
  topLevel: Metadata<Targets>,
  targetPath: string,
  maxRoles: number,
  load: LoadDelegatedRole,
): Promise<FoundTarget | undefined> {
  const state: SearchState = { path: targetPath, maxRoles, visited: new Set(['targets']), load };
  const outcome = await visit('targets', topLevel, state);
  return outcome.kind === 'found' ? outcome.found : undefined;
}

async function visit(roleName: string, role: Metadata<Targets>, state: SearchState): Promise<Outcome> {
  const target = role.signed.targets.get(state.path);
  if (target !== undefined) return { kind: 'found', found: { target, role: roleName } };
  for (const delegation of role.signed.delegations?.roles ?? []) {
    if (!delegation.isDelegatedPath(state.path)) continue;
    if (!state.visited.has(delegation.name)) {
      // visited counts the top-level role too
      if (state.visited.size > state.maxRoles) {
        throw new DeviceError('STW_DEVICE_DELEGATION_LIMIT', `searching ${state.path} would visit more than ${state.maxRoles} delegated roles`, {
          details: { target: state.path, maxDelegations: state.maxRoles, next: delegation.name },
        });
      }
      state.visited.add(delegation.name);
      const child = await state.load(delegation, roleName, role);
      const outcome = await visit(delegation.name, child, state);
      if (outcome.kind !== 'not-here') return outcome;
    }
    // TUF 5.6.7.2.1: nothing below a terminating delegation, and no backtracking past it.
    if (delegation.terminating) return { kind: 'terminated' };
  }
  return { kind: 'not-here' };
}
