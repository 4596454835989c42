/**
 * Settings of the TUF client. `UpdaterConfig` is merged once from a `Partial` at the edge
 * (`new Updater({ config })`); every field has a default here.
 *
 * @example
 * const config = resolveUpdaterConfig({ maxDelegations: 8, roleMaxLength: { acme: 1_000_000 } });
 */
export interface UpdaterConfig {
  /** Root versions fetched in one refresh, at most (TUF 5.3.3: "up to some X"); count. */
  readonly maxRootRotations: number;
  /** Delegated roles loaded in one target search, at most (TUF 5.6.7); count. */
  readonly maxDelegations: number;
  /** Cap on each `N.root.json` download; bytes. */
  readonly rootMaxLength: number;
  /** Cap on the `timestamp.json` download; bytes. */
  readonly timestampMaxLength: number;
  /** Cap on the snapshot download when timestamp pins no length; bytes. */
  readonly snapshotMaxLength: number;
  /** Cap on top-level and delegated targets downloads when snapshot pins no length; bytes. */
  readonly targetsMaxLength: number;
  /** Per-role caps (role name -> bytes) that replace the defaults above for that role. */
  readonly roleMaxLength: Readonly<Record<string, number>>;
  /** Deepest JSON nesting accepted in metadata; levels. */
  readonly maxJsonDepth: number;
  /** With consistent snapshots, fetch targets as `DIR/HASH.NAME` (TUF 5.7.2). */
  readonly prefixTargetsWithHash: boolean;
  /** The clock read once at the start of each refresh (TUF 5.1). */
  readonly clock: () => Date;
}

export const defaultUpdaterConfig: UpdaterConfig = {
  maxRootRotations: 32, // root versions per refresh
  maxDelegations: 32, // delegated roles per search
  rootMaxLength: 512 * 1024, // bytes
  timestampMaxLength: 16 * 1024, // bytes
  snapshotMaxLength: 2 * 1024 * 1024, // bytes
  targetsMaxLength: 5 * 1024 * 1024, // bytes
  roleMaxLength: {}, // role name -> bytes
  maxJsonDepth: 64, // levels
  prefixTargetsWithHash: true,
  clock: () => new Date(),
};

export function resolveUpdaterConfig(config: Partial<UpdaterConfig> = {}): UpdaterConfig {
  return { ...defaultUpdaterConfig, ...config };
}

/** The download cap for a role's metadata when no referring role pins its length. */
export function defaultMaxLength(config: UpdaterConfig, role: string): number {
  const override = config.roleMaxLength[role];
  if (override !== undefined) return override;
  switch (role) {
    case 'root':
      return config.rootMaxLength;
    case 'timestamp':
      return config.timestampMaxLength;
    case 'snapshot':
      return config.snapshotMaxLength;
    default:
      return config.targetsMaxLength;
  }
}
