import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';

/**
 * An event's payload whose JSON is already made: the notifier's encoder puts
 * the text in the frame as it is. Emitting an object makes Socket.IO
 * serialise it on every emit (and walk it first, looking for binary); for a
 * snapshot of 10,000 flags that is some 6 MiB of JSON.stringify per socket.
 * The frame is byte for byte the one Socket.IO would have written for the
 * parsed object, so clients (any Socket.IO client, with the default parser)
 * see no difference.
 */
export class PreparedPayload<T = unknown> {
  /** Never set: keeps what the JSON is of in the type (a PreparedPayload<Snapshot> is no other payload). */
  declare readonly of?: T;

  constructor(readonly json: string) {}

  /**
   * What any other encoder makes of it (a packet shape the notifier's encoder
   * does not take as is, e.g. with connection state recovery's offset
   * appended): the parsed object, so that the frame is slower but the same.
   */
  toJSON(): T {
    return JSON.parse(this.json) as T;
  }
}

/**
 * Socket.IO's encoder, but an event whose one argument is a PreparedPayload
 * is written from its text. The string form is socket.io-parser's
 * encodeAsString: the packet type, the namespace unless `/` (then a comma),
 * the ack id if any, then the JSON array of the event name and its argument.
 */
class PreparedPayloadEncoder extends Encoder {
  override encode(packet: Packet): ReturnType<Encoder['encode']> {
    const data: unknown = packet.data;
    if (packet.type === PacketType.EVENT && Array.isArray(data) && data.length === 2 && data[1] instanceof PreparedPayload) {
      const namespace = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
      const id = packet.id ?? '';
      return [`${packet.type}${namespace}${id}[${JSON.stringify(data[0])},${data[1].json}]`];
    }
    return super.encode(packet);
  }
}

/** For `new Server(httpServer, { parser })`: the default decoder (clients only listen) and the encoder above. */
export const preparedPayloadParser = { Encoder: PreparedPayloadEncoder, Decoder };
