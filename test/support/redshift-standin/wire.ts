// The PostgreSQL wire protocol, version 3, from the server's side: reading what a client
// sends, writing what a server answers. Redshift speaks this protocol (AWS "Amazon Redshift
// and PostgreSQL", https://docs.aws.amazon.com/redshift/latest/dg/c_redshift-and-postgres-sql.html:
// "Amazon Redshift is based on PostgreSQL" and its drivers are PostgreSQL's), so the
// message formats are PostgreSQL's ("Message Formats" in the PostgreSQL manual).

/** A message from the client: its type byte ('' for the untyped startup packets) and body. */
export interface FrontendMessage {
  type: string;
  body: Buffer;
}

/** Cuts complete messages off a growing buffer; `typed` is false until the startup packet is read. */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  typed = false;

  push(chunk: Buffer): FrontendMessage[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const messages: FrontendMessage[] = [];
    for (;;) {
      const header = this.typed ? 5 : 4;
      if (this.pending.length < header) break;
      const length = this.pending.readInt32BE(this.typed ? 1 : 0);
      const total = length + (this.typed ? 1 : 0);
      if (this.pending.length < total) break;
      const type = this.typed ? String.fromCharCode(this.pending[0]) : '';
      messages.push({ type, body: this.pending.subarray(header, total) });
      this.pending = this.pending.subarray(total);
    }
    return messages;
  }
}

/** Reads the fields of one message body in order. */
export class BodyReader {
  private offset = 0;
  constructor(private readonly body: Buffer) {}

  int16(): number {
    const value = this.body.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.body.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  byte(): string {
    return String.fromCharCode(this.body[this.offset++]);
  }

  cstring(): string {
    const end = this.body.indexOf(0, this.offset);
    const value = this.body.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  bytes(length: number): Buffer {
    const value = this.body.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  get done(): boolean {
    return this.offset >= this.body.length;
  }
}

export const PROTOCOL_3 = 196608;
export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;

/** The startup packet's protocol code and, for protocol 3, its parameters. */
export function readStartup(body: Buffer): { code: number; parameters: Record<string, string> } {
  const reader = new BodyReader(body);
  const code = reader.int32();
  const parameters: Record<string, string> = {};
  if (code === PROTOCOL_3) {
    for (;;) {
      const name = reader.cstring();
      if (!name) break;
      parameters[name] = reader.cstring();
    }
  }
  return { code, parameters };
}

export interface ParseMessage {
  statement: string;
  text: string;
  parameterTypes: number[];
}

export function readParse(body: Buffer): ParseMessage {
  const reader = new BodyReader(body);
  const statement = reader.cstring();
  const text = reader.cstring();
  const count = reader.int16();
  const parameterTypes = Array.from({ length: count }, () => reader.int32());
  return { statement, text, parameterTypes };
}

export interface BindMessage {
  portal: string;
  statement: string;
  /** Text parameters as strings, binary ones as bytes, NULL as null. */
  values: Array<string | Buffer | null>;
  resultFormats: number[];
}

export function readBind(body: Buffer): BindMessage {
  const reader = new BodyReader(body);
  const portal = reader.cstring();
  const statement = reader.cstring();
  const formats = Array.from({ length: reader.int16() }, () => reader.int16());
  const values = Array.from({ length: reader.int16() }, (_, i) => {
    const length = reader.int32();
    if (length < 0) return null;
    const bytes = reader.bytes(length);
    const format = formats.length === 1 ? formats[0] : (formats[i] ?? 0);
    return format === 1 ? Buffer.from(bytes) : bytes.toString('utf8');
  });
  const resultFormats = Array.from({ length: reader.int16() }, () => reader.int16());
  return { portal, statement, values, resultFormats };
}

/** Describe and Close: 'S' (statement) or 'P' (portal), and its name. */
export function readTarget(body: Buffer): { kind: string; name: string } {
  const reader = new BodyReader(body);
  return { kind: reader.byte(), name: reader.cstring() };
}

export function readExecute(body: Buffer): { portal: string; maxRows: number } {
  const reader = new BodyReader(body);
  return { portal: reader.cstring(), maxRows: reader.int32() };
}

// ---- what the server writes ----

function message(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function int16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value);
  return b;
}

function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

function cstring(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, 'utf8'), Buffer.from([0])]);
}

export const authenticationOk = () => message('R', int32(0));
export const authenticationCleartext = () => message('R', int32(3));
export const authenticationMd5 = (salt: Buffer) => message('R', int32(5), salt);
export const parameterStatus = (name: string, value: string) => message('S', cstring(name), cstring(value));
export const backendKeyData = (processId: number, secret: number) => message('K', int32(processId), int32(secret));
export const readyForQuery = (status: string) => message('Z', Buffer.from(status, 'latin1'));
export const parseComplete = () => message('1');
export const bindComplete = () => message('2');
export const closeComplete = () => message('3');
export const noData = () => message('n');
export const emptyQueryResponse = () => message('I');
export const commandComplete = (tag: string) => message('C', cstring(tag));
export const parameterDescription = (types: number[]) => message('t', int16(types.length), ...types.map(int32));

export interface FieldDescription {
  name: string;
  tableID: number;
  columnID: number;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
}

export function rowDescription(fields: FieldDescription[]): Buffer {
  const parts = fields.map((f) =>
    Buffer.concat([
      cstring(f.name),
      int32(f.tableID),
      int16(f.columnID),
      int32(f.dataTypeID),
      int16(f.dataTypeSize),
      int32(f.dataTypeModifier),
      int16(0),
    ]),
  );
  return message('T', int16(fields.length), ...parts);
}

export function dataRow(values: Array<string | null>): Buffer {
  const parts = values.map((v) => {
    if (v === null || v === undefined) return int32(-1);
    const bytes = Buffer.from(v, 'utf8');
    return Buffer.concat([int32(bytes.length), bytes]);
  });
  return message('D', int16(values.length), ...parts);
}

export interface ErrorFields {
  severity?: string;
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** ErrorResponse ('E') or, with kind 'N', NoticeResponse. */
export function errorResponse(error: ErrorFields, kind: 'E' | 'N' = 'E'): Buffer {
  const severity = error.severity ?? (kind === 'E' ? 'ERROR' : 'NOTICE');
  const fields: Array<[string, string | undefined]> = [
    ['S', severity],
    ['V', severity],
    ['C', error.code],
    ['M', error.message],
    ['D', error.detail],
    ['H', error.hint],
  ];
  const parts = fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => Buffer.concat([Buffer.from(k, 'latin1'), cstring(v!)]));
  return message(kind, ...parts, Buffer.from([0]));
}
