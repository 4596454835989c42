// device-sdk/: the terminal side of Steward. Named exports only.

// errors
export { DeviceError } from './errors.js';
export type { DeviceErrorCode } from './errors.js';

// network seam
export type { Fetcher, FetchRequest, FetchResponse } from './fetch/fetcher.js';
export { HttpFetcher, defaultHttpFetcherConfig } from './fetch/http-fetcher.js';
export type { HttpFetcherConfig } from './fetch/http-fetcher.js';
export { NodeHttpFetcher, defaultNodeHttpFetcherConfig } from './fetch/node-http-fetcher.js';
export type { NodeHttpFetcherConfig } from './fetch/node-http-fetcher.js';

// TUF client
export { Updater, defaultUpdaterConfig, resolveUpdaterConfig, initialiseTrustedRoot, encodeRoleName } from './tuf/index.js';
export type { UpdaterOptions, UpdaterConfig, RefreshResult, FoundTarget } from './tuf/index.js';

// trusted metadata stores
export { FsMetadataStore, MemoryMetadataStore } from './store/index.js';
export type { MetadataChange, MetadataStore, FsMetadataStoreOptions } from './store/index.js';

// command line
export { runCli } from './cli/run-cli.js';
export type { CliIo, CliOutput } from './cli/run-cli.js';

// durable writes (every disk change of the SDK goes through this seam)
export { DurableFs } from './durable/durable-fs.js';
export type { DurableFsOptions, DurableStep, DurableStepKind, DurableWriter } from './durable/durable-fs.js';

// resumable, verified downloads
export { ArtifactDownloader, defaultDownloaderConfig } from './download/index.js';
export type { DownloaderConfig, DownloadRequest, DownloadResult, ExpectedArtifact, ArtifactHashes } from './download/index.js';

// A/B slots, the update state machine, profile apply
export { FileSlotInstaller, otherSlot } from './install/index.js';
export type { BootOutcome, BootState, SlotInstaller, SlotName, SlotImage, SlotWriteRequest } from './install/index.js';
export { UpdateMachine, UpdateStateStore, defaultUpdateConfig, isWithinWindow } from './update/index.js';
export type { RunResult, UpdateMachineOptions, DeviceState, DeviceStateKind, UpdateDescriptor, UpdateConfig, UpdateHost, UpdateEvent } from './update/index.js';
export { ProfileApplier, defaultProfileApplierConfig } from './profile/index.js';
export type { ProfileEvent, ProfileApplierConfig, ProfileHost, ProfileValidator } from './profile/index.js';

// enrolment, signed requests, director verification, the agent
export { enrolDevice, IdentityStore, endpointUrl } from './enrol/index.js';
export type { EnrolOptions, EnrolmentMethod, DeviceIdentity } from './enrol/index.js';
export { DeviceKey, RequestSigner, FetchApiTransport, exchangeJson, contentDigest } from './signing/index.js';
export type { ApiTransport, RequestSignerOptions } from './signing/index.js';
export { DirectorVerifier, DirectorStore, DirectorRootChain, checkImage } from './director/index.js';
export type { AcceptedDirector, DirectorRefusal, ImageDecision } from './director/index.js';
export { Agent, defaultAgentConfig, resolveAgentConfig, fetchProfile, profilePath } from './agent/index.js';
export type { AgentOptions, AgentConfig, AgentHost, HealthReport, AgentPhase, AgentRecord, ProtocolEvent, TickResult } from './agent/index.js';
