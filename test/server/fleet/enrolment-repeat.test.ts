// A terminal whose enrolment answer was lost (the connection dropped after the server
// registered it) enrols again with the same key: the same device is answered and no second
// token use is taken, so the terminal is not locked out. Found by the fleet simulator.
import t from 'tap';
import { forEachKind } from '../../helpers/fleet-kinds.js';
import { startFleetServer } from '../../helpers/fleet-harness.js';
import { errorCode } from '../../helpers/server-harness.js';

forEachKind(t, 'an enrolment repeated with the registered key gets the same device', async (t, kind) => {
  const fleet = await startFleetServer(t, { database: kind });
  const token = await fleet.enrolmentToken({ uses: 1 });
  const terminal = fleet.terminal();
  const first = await terminal.enrolWithToken({ token, serial: 'T100-R', hardwareModel: 't100' });
  t.equal(first.statusCode, 201);
  const deviceId = terminal.deviceId;

  const repeated = await terminal.enrolWithToken({ token, serial: 'T100-R', hardwareModel: 't100' });
  t.equal(repeated.statusCode, 201, 'the single-use token still admits the repeat: it took no second use');
  t.equal(repeated.json<{ deviceId: string }>().deviceId, deviceId, 'the same device');
  t.equal((await terminal.checkIn({ installed: [] })).statusCode, 200, 'and its key signs for it');

  const impostor = await fleet.terminal().enrolWithToken({ token, serial: 'T100-R', hardwareModel: 't100' });
  t.equal(errorCode(impostor), 'STW_DEVICE_ALREADY_ENROLLED', 'another key for the serial is still refused');
  const other = await fleet.terminal().enrolWithToken({ token, serial: 'T100-S', hardwareModel: 't100' });
  t.equal(errorCode(other), 'STW_ENROLMENT_TOKEN_INVALID', 'the token is used up for anyone else');
  t.equal(other.json<{ error: { details: { reason: string } } }>().error.details.reason, 'used-up');
});
