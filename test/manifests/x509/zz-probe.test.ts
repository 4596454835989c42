import forge from 'node-forge';
import { verifyCertificateChain } from '../../../manifests/x509/index.js';
import { buildDevicePki, FIXTURE_NOW } from '../../helpers/x509-fixtures.js';
const pki = buildDevicePki();
const d = Buffer.from(pki.leafPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, ''), 'base64');
console.log('len', d.length, 'around 593', d.subarray(580, 610).toString('hex'));
const b = Buffer.from(d); b[593]! ^= 0x5a;
const p = forge.pem.encode({ type: 'CERTIFICATE', body: b.toString('binary') });
try { const r = verifyCertificateChain({ chainPem: [p, pki.intermediatePem], trustedCaPem: pki.trustedCaPem, now: FIXTURE_NOW }); console.log('ACCEPTED', r.serialNumber); } catch (e) { console.log('ERR', e); }
const c = forge.pki.certificateFromPem(p);
console.log(c.signatureOid, c.signatureParameters, c.siginfo);
