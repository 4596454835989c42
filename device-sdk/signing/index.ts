export { contentDigest } from './content-digest.js';
export { DeviceKey } from './device-key.js';
export { RequestSigner, SIGNED_COMPONENTS, SIGNATURE_PARAMETERS, SIGNATURE_LABEL, NONCE_BYTES } from './request-signer.js';
export type { RequestSignerOptions, SignableRequest } from './request-signer.js';
export { FetchApiTransport, defaultFetchApiTransportConfig } from './api-transport.js';
export type { ApiRequest, ApiResponse, ApiTransport, FetchApiTransportConfig } from './api-transport.js';
export { exchangeJson, jsonBody, serverErrorCode } from './json-exchange.js';
export type { JsonRequest } from './json-exchange.js';
