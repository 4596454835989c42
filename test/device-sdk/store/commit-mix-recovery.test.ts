/**
 * A commit fsyncs the metadata directory once, after all its renames, and a file system need
 * not keep the order of those renames across a power cut: after a cut any mix of old and new
 * roles may be on disk. The client must recover from every such mix. Scenario as in
 * fs-metadata-store-kill.test.ts (root rotation, timestamp key rotation, new delegated role
 * version); every combination of root old or new and of each other role old, new or missing
 * is stored, refreshed, and must end at the new metadata with the target found.
 */
import t from 'tap';
import { MemoryMetadataStore } from '../../../device-sdk/store/index.js';
import { Updater } from '../../../device-sdk/tuf/index.js';
import { TufRepository } from '../../helpers/tuf-repository.js';

const OTHERS = ['timestamp', 'snapshot', 'targets', 'acme'] as const;
const TARGET = 'acme/fw-2.bin';
type State = 'old' | 'new' | 'missing';

/** Every assignment of `choices` to `count` roles. */
function combinations<T>(choices: readonly T[], count: number): T[][] {
  if (count === 0) return [[]];
  return combinations(choices, count - 1).flatMap((rest) => choices.map((choice) => [choice, ...rest]));
}

t.test('a refresh from any mix of old and new roles ends at the new metadata', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'acme');
  repo.addTarget('acme/fw-1.bin', 'one', { role: 'acme' });
  await repo.publish();
  const server = await repo.serve();
  t.teardown(() => server.close());

  const oldStore = new MemoryMetadataStore({ root: repo.metadata('root', 1) });
  t.ok(await new Updater({ metadataUrl: server.metadataUrl, store: oldStore }).getTargetInfo('acme/fw-1.bin'));
  const old = new Map<string, Uint8Array>();
  for (const role of ['root', ...OTHERS]) old.set(role, (await oldStore.read(role)) ?? new Uint8Array());

  repo.rotateKeys('root');
  repo.rotateKeys('timestamp');
  repo.addTarget(TARGET, 'two', { role: 'acme' });
  await repo.publish();
  const fresh = new Map(['root', ...OTHERS].map((role) => [role, Buffer.from(repo.metadata(role))]));
  // targets itself is unchanged (acme's new version is pinned by snapshot).
  for (const role of ['root', 'timestamp', 'snapshot', 'acme']) t.not(Buffer.compare(Buffer.from(old.get(role) ?? []), fresh.get(role) ?? Buffer.alloc(0)), 0, `${role} changed`);

  const failures: string[] = [];
  let tried = 0;
  for (const rootState of ['old', 'new'] as const) {
    for (const states of combinations<State>(['old', 'new', 'missing'], OTHERS.length)) {
      const initial: Record<string, Uint8Array> = { root: (rootState === 'old' ? old : fresh).get('root') ?? new Uint8Array() };
      OTHERS.forEach((role, index) => {
        const state = states[index];
        if (state === 'old' || state === 'new') initial[role] = (state === 'old' ? old : fresh).get(role) ?? new Uint8Array();
      });
      const label = `root ${rootState}, ${OTHERS.map((role, index) => `${role} ${states[index]}`).join(', ')}`;
      tried += 1;
      const store = new MemoryMetadataStore(initial);
      try {
        const found = await new Updater({ metadataUrl: server.metadataUrl, store }).getTargetInfo(TARGET);
        if (found === undefined) failures.push(`${label}: target not found`);
        for (const [role, bytes] of fresh) {
          if (!Buffer.from((await store.read(role)) ?? []).equals(bytes)) failures.push(`${label}: ${role} is not the new one`);
        }
      } catch (error) {
        failures.push(`${label}: ${(error as { code?: string }).code ?? String(error)}`);
      }
    }
  }
  t.equal(tried, 2 * 3 ** OTHERS.length, 'every combination tried');
  t.same(failures, []);
});
