import t from 'tap';
import { FsBlobStore, openBlobStore, S3BlobStore } from '../../../server/blobs/index.js';

t.test('the configuration picks the store', async (t) => {
  const fs = openBlobStore({ kind: 'fs', dir: './data/blobs' });
  t.type(fs, FsBlobStore);
  t.equal((fs as FsBlobStore).dir, './data/blobs');
  t.equal(fs.presignGet, undefined, 'a directory cannot presign');

  const s3 = openBlobStore({ kind: 's3', bucket: 'steward', region: 'eu-west-1', prefix: 'prod/', accessKeyId: 'a', secretAccessKey: 's' });
  t.type(s3, S3BlobStore);
  t.equal((s3 as S3BlobStore).bucket, 'steward');
  t.equal((s3 as S3BlobStore).keyOf('ab'.repeat(32)), `prod/sha256/${'ab'.repeat(32)}`);
  t.type(s3.presignGet, 'function');
});
