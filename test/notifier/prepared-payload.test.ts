import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { PreparedPayload, preparedPayloadParser } from '../../services/notifier/prepared-payload.js';

/*
 * The notifier sends a snapshot as JSON it made once (prepared-payload.ts).
 * The frame must be the very one Socket.IO writes for the object, so that any
 * Socket.IO client with the default parser reads the same thing; everything
 * else must be encoded exactly as before.
 */

const payload = { environment: 'prod', version: 7, flags: [{ key: 'a', note: 'é "q" \u2028 </script>' }], segments: [] };

t.test('the frame is byte for byte the default encoder’s, with a namespace and an ack id too', async (t) => {
  const standard = new Encoder();
  const prepared = new preparedPayloadParser.Encoder();
  const packets: Packet[] = [
    { type: PacketType.EVENT, nsp: '/', data: ['flags:snapshot', payload] },
    { type: PacketType.EVENT, nsp: '/admin', data: ['flags:snapshot', payload] },
    { type: PacketType.EVENT, nsp: '/', id: 12, data: ['flags:snapshot', payload] },
  ];
  for (const packet of packets) {
    const expected = standard.encode(packet);
    const made = prepared.encode({ ...packet, data: [packet.data[0], new PreparedPayload(JSON.stringify(packet.data[1]))] });
    t.same(made, expected, `nsp ${packet.nsp}, id ${packet.id ?? 'none'}`);
    t.equal(typeof made[0], 'string');
  }
  // Everything that is not one prepared argument goes to the default encoder.
  const others: Packet[] = [
    { type: PacketType.EVENT, nsp: '/', data: ['flags:change', { version: 1 }] },
    { type: PacketType.EVENT, nsp: '/', data: ['two', new PreparedPayload('{}'), 'args'] },
    { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
    { type: PacketType.EVENT, nsp: '/', data: ['binary', Buffer.from([1, 2, 3])] },
  ];
  for (const packet of others) t.same(prepared.encode(packet), standard.encode(packet), `unchanged: ${JSON.stringify(packet.data).slice(0, 40)}`);

  // A shape it does not take as is (connection state recovery appends an offset): any encoder still writes the object.
  const recovered: Packet = { type: PacketType.EVENT, nsp: '/', data: ['flags:snapshot', payload, 'offset-1'] };
  t.same(
    prepared.encode({ ...recovered, data: ['flags:snapshot', new PreparedPayload(JSON.stringify(payload)), 'offset-1'] }),
    standard.encode(recovered),
    'slower, but the same frame',
  );
});

t.test('a real Socket.IO client with the default parser receives the object', async (t) => {
  const httpServer = http.createServer();
  const server = new Server(httpServer, { serveClient: false, transports: ['websocket'], parser: preparedPayloadParser });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  server.on('connection', (socket) => {
    socket.emit('prepared', new PreparedPayload(JSON.stringify(payload)));
    socket.emit('plain', payload);
  });
  const client = connect(`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, { transports: ['websocket'] });
  t.teardown(() => client.close());
  const received = await Promise.all(['prepared', 'plain'].map((event) => new Promise((resolve) => client.once(event, resolve))));
  t.same(received[0], payload, 'the prepared JSON arrives as the object');
  t.same(received[0], received[1], 'the same as an object emitted as it is');
});
