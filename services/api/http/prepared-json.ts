/**
 * A JSON body made once and sent many times: its text, and its UTF-8 length
 * (the Content-Length), worked out once. Sent as a string, not as bytes:
 * node:http then writes the head and the body in one write, where a Buffer
 * body goes out as a second chunk of a writev, which the read bench measured
 * as the single largest cost of an answer.
 */
export interface PreparedJson {
  text: string;
  bytes: number;
}

export const preparedJson = (text: string): PreparedJson => ({ text, bytes: Buffer.byteLength(text) });
