export { DirectorVerifier } from './director-verifier.js';
export type { AcceptedDirector, DirectorRefusal, DirectorVerifierOptions } from './director-verifier.js';
export { DirectorStore } from './director-store.js';
export { DirectorRootChain } from './director-root-chain.js';
export type { DirectorRootChainOptions } from './director-root-chain.js';
export { checkImage } from './image-check.js';
export type { ImageCheckFacts, ImageDecision, TargetLookup } from './image-check.js';
