// The `steward` commands, in the order help lists them.
import type { Command } from '../command.js';
import { auditHead } from './audit-head.js';
import { auditList } from './audit-list.js';
import { auditVerify } from './audit-verify.js';
import { init } from './init.js';
import { keysGenerate } from './keys-generate.js';
import { keysOnline } from './keys-online.js';
import { releaseList } from './release-list.js';
import { releasePublish } from './release-publish.js';
import { repoRootCreate } from './repo-root-create.js';
import { repoRootRotate } from './repo-root-rotate.js';
import { repoSign } from './repo-sign.js';
import { repoUploadRoot } from './repo-upload-root.js';
import { serve } from './serve.js';
import { simulate } from './simulate.js';
import { tokenCreate } from './token-create.js';
import { userAdd } from './user-add.js';
import { userList } from './user-list.js';
import { vendorAdd } from './vendor-add.js';

export const commands: readonly Command[] = [
  init,
  serve,
  keysGenerate,
  keysOnline,
  repoRootCreate,
  repoRootRotate,
  repoSign,
  repoUploadRoot,
  vendorAdd,
  releasePublish,
  releaseList,
  tokenCreate,
  userAdd,
  userList,
  auditVerify,
  auditHead,
  auditList,
  simulate,
];
