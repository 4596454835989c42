import { randomBytes } from 'node:crypto';
import t from 'tap';
import { S3BlobStore } from '../../../server/blobs/index.js';
import { listStoredUnder, startS3rver } from '../../helpers/s3-servers.js';
import { blobStoreContract } from './blob-store-contract.js';

t.test('S3BlobStore on s3rver keeps the BlobStore contract', async (t) => {
  const target = await startS3rver(t);
  await blobStoreContract(t, {
    create: async (t) => {
      const prefix = `case-${randomBytes(4).toString('hex')}/`;
      const store = new S3BlobStore({ ...target.storeOptions, prefix });
      t.teardown(() => store.close());
      return { store, listStored: () => listStoredUnder(target, prefix) };
    },
    presign: true,
  });
});
