import { randomBytes } from 'node:crypto';
import t from 'tap';
import { S3BlobStore } from '../../../server/blobs/index.js';
import { listStoredUnder, radosgwSettings, useRadosgwBucket } from '../../helpers/s3-servers.js';
import { blobStoreContract } from './blob-store-contract.js';

const settings = radosgwSettings();
const name = 'S3BlobStore on Ceph radosgw keeps the BlobStore contract';

if (settings !== undefined) {
  t.test(name, async (t) => {
    const target = await useRadosgwBucket(t, settings);
    await blobStoreContract(t, {
      create: async () => {
        const prefix = `case-${randomBytes(4).toString('hex')}/`;
        return { store: new S3BlobStore({ ...target.storeOptions, prefix }), listStored: () => listStoredUnder(target, prefix) };
      },
      presign: true,
    });
  });
} else if (process.env['CI'] === 'true') {
  // CI must test against a real S3 implementation: a missing gateway is a failure, not a skip.
  t.fail(`${name}: STEWARD_TEST_S3_ENDPOINT is not set; run .ci/start-radosgw.sh and source .ci/work/s3.env`);
} else {
  t.test(name, { skip: 'STEWARD_TEST_S3_ENDPOINT is not set (start one with .ci/start-radosgw.sh)' }, () => {});
}
