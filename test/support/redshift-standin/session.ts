// One client session of the stand-in: TLS, startup, authentication, then simple and extended
// queries, each statement translated (translate.ts), refused in Redshift's words, or run on
// this session's own backing PostgreSQL connection, so transactions, temp tables and locks
// behave per session as on Redshift.
import crypto from 'node:crypto';
import type net from 'node:net';
import tls from 'node:tls';
import pg from 'pg';
import { executeCopy, parseCopy, RedshiftError, type CopyResult, type CopyStatement, type TargetColumn } from './copy';
import {
  forgetTable,
  lastCopySql,
  LOG_SCHEMA,
  recordCopy,
  recordQuery,
  recordTableKeys,
  searchPathFor,
  sessionSettingsSql,
  type TableKeys,
} from './catalog';
import type { StandinContext } from './context';
import { splitStatements } from './statements';
import { translate, type KeyChange } from './translate';
import * as wire from './wire';

/** What one statement gives back. */
interface Outcome {
  fields?: wire.FieldDescription[];
  rows: Array<Array<string | null>>;
  tag: string;
}

class ClientError extends Error {
  constructor(readonly fields: wire.ErrorFields) {
    super(fields.message);
  }
}

interface Portal {
  text: string;
  values: Array<string | Buffer | null>;
  outcome?: Outcome;
}

/** Every value as the text the backing server sent: the stand-in forwards, never converts. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value };

export class Session {
  private socket: net.Socket | tls.TLSSocket;
  private readonly reader = new wire.MessageReader();
  private queue: Promise<void> = Promise.resolve();
  private secure = false;
  private salt = crypto.randomBytes(4);
  private startup: Record<string, string> = {};
  private backing?: pg.Client;
  private status = 'I';
  private tags: string[] = [];
  private skipUntilSync = false;
  private readonly statements = new Map<string, { text: string; parameterTypes: number[] }>();
  private readonly portals = new Map<string, Portal>();
  private queryGroup = '';
  readonly id: number;
  user = '';

  constructor(
    socket: net.Socket,
    private readonly context: StandinContext,
  ) {
    this.socket = socket;
    this.id = context.nextSessionId();
    this.listen(socket);
  }

  private listen(socket: net.Socket | tls.TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      for (const message of this.reader.push(chunk))
        this.queue = this.queue
          .then(() => this.handle(message))
          .catch((error: Error) => this.fatal('XX000', error.message));
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  private write(...buffers: Buffer[]): void {
    if (!this.socket.destroyed) this.socket.write(Buffer.concat(buffers));
  }

  private fatal(code: string, message: string): void {
    this.write(wire.errorResponse({ severity: 'FATAL', code, message }));
    this.socket.end();
    this.close();
  }

  /** Drops the client's connection (the stand-in is stopping). */
  destroy(): void {
    this.socket.destroy();
    this.close();
  }

  close(): void {
    const backing = this.backing;
    this.backing = undefined;
    if (backing) void backing.end().catch(() => {});
    this.context.sessions.delete(this);
  }

  private async handle(message: wire.FrontendMessage): Promise<void> {
    if (!this.reader.typed) return this.handleStartup(message.body);
    if (message.type === 'p') return this.authenticate(message.body);
    if (!this.backing) return this.fatal('08P01', 'expected a password message');
    if (this.skipUntilSync && message.type !== 'S') return;
    try {
      switch (message.type) {
        case 'Q':
          return await this.simpleQuery(new wire.BodyReader(message.body).cstring());
        case 'P':
          return this.parse(wire.readParse(message.body));
        case 'B':
          return this.bind(wire.readBind(message.body));
        case 'D':
          return await this.describe(wire.readTarget(message.body));
        case 'E':
          return await this.execute(wire.readExecute(message.body).portal);
        case 'C': {
          const target = wire.readTarget(message.body);
          (target.kind === 'S' ? this.statements : this.portals).delete(target.name);
          return this.write(wire.closeComplete());
        }
        case 'S':
          this.skipUntilSync = false;
          return this.write(wire.readyForQuery(this.status));
        case 'H':
          return;
        case 'X':
          this.socket.end();
          return this.close();
        default:
          throw new ClientError({
            code: '08P01',
            message: `invalid frontend message type ${message.type.charCodeAt(0)}`,
          });
      }
    } catch (error) {
      this.write(wire.errorResponse(asFields(error)));
      this.skipUntilSync = true;
    }
  }

  // ---- startup and authentication ----

  private handleStartup(body: Buffer): void {
    const { code, parameters } = wire.readStartup(body);
    if (code === wire.SSL_REQUEST && !this.secure) {
      this.socket.removeAllListeners('data');
      this.write(Buffer.from('S'));
      const secure = new tls.TLSSocket(this.socket, {
        isServer: true,
        key: this.context.tls.key,
        cert: this.context.tls.cert,
      });
      this.socket = secure;
      this.secure = true;
      this.listen(secure);
      return;
    }
    if (code === wire.GSSENC_REQUEST) return this.write(Buffer.from('N'));
    if (code !== wire.PROTOCOL_3) return this.fatal('08P01', `unsupported frontend protocol ${code}`);
    this.startup = parameters;
    this.user = parameters.user ?? '';
    const database = parameters.database || this.user;
    // AWS "Configuring security options for connections"
    // (https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html): with
    // require_ssl on, a connection without TLS is refused. The stand-in always requires it.
    if (!this.secure)
      return this.fatal(
        '28000',
        `no pg_hba.conf entry for host "127.0.0.1", user "${this.user}", database "${database}", SSL off`,
      );
    if (database !== this.context.database) return this.fatal('3D000', `database "${database}" does not exist`);
    this.reader.typed = true;
    // Redshift asks for an MD5-hashed password by default (AWS "CREATE USER",
    // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_USER.html: passwords are stored MD5- or SHA-256-hashed).
    this.write(wire.authenticationMd5(this.salt));
  }

  private async authenticate(body: Buffer): Promise<void> {
    const answer = new wire.BodyReader(body).cstring();
    const matches = (password: string) =>
      answer === `md5${md5(md5(password + this.user) + this.salt.toString('latin1'))}`;
    if (!this.context.auth.candidates(this.user, this.startup.database || this.user).some(matches)) {
      return this.fatal('28000', `password authentication failed for user "${this.user}"`);
    }
    const backing = new pg.Client({ ...this.context.backing, types: RAW_TYPES });
    await backing.connect();
    const connection = (backing as unknown as { connection: NodeJS.EventEmitter }).connection;
    connection.on('readyForQuery', (m: { status: string }) => (this.status = m.status));
    connection.on('commandComplete', (m: { text: string }) => this.tags.push(m.text));
    backing.on('error', () => this.socket.destroy());
    const superuser = this.context.superusers.has(this.user);
    // Redshift sessions run in UTC and under serializable isolation (AWS "Serializable
    // isolation", https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation.html).
    await backing.query(
      `set timezone to 'UTC'; set default_transaction_isolation to 'serializable'; set search_path to ${searchPathFor(this.context.deployment)}`,
    );
    await backing.query(
      sessionSettingsSql({
        sessionId: this.id,
        superuser,
        userName: this.user,
        userId: this.context.userId(this.user),
        database: this.context.database,
      }),
    );
    this.backing = backing;
    this.context.sessions.add(this);
    this.write(
      wire.authenticationOk(),
      // What a Redshift endpoint reports at startup (its server_version is 8.0.2).
      wire.parameterStatus('server_version', '8.0.2'),
      wire.parameterStatus('server_encoding', 'UNICODE'),
      wire.parameterStatus('client_encoding', 'UNICODE'),
      wire.parameterStatus('DateStyle', 'ISO, MDY'),
      wire.parameterStatus('TimeZone', 'UTC'),
      wire.parameterStatus('integer_datetimes', 'on'),
      wire.parameterStatus('is_superuser', superuser ? 'on' : 'off'),
      wire.backendKeyData(this.id, crypto.randomInt(2 ** 31)),
      wire.readyForQuery('I'),
    );
  }

  // ---- simple and extended query ----

  private async simpleQuery(text: string): Promise<void> {
    const statements = splitStatements(text);
    if (statements.length === 0) this.write(wire.emptyQueryResponse());
    for (const statement of statements) {
      try {
        const outcome = await this.run(statement, []);
        this.write(
          ...(outcome.fields ? [wire.rowDescription(outcome.fields)] : []),
          ...outcome.rows.map(wire.dataRow),
          wire.commandComplete(outcome.tag),
        );
      } catch (error) {
        this.write(wire.errorResponse(asFields(error)));
        break;
      }
    }
    this.write(wire.readyForQuery(this.status));
  }

  private parse(message: wire.ParseMessage): void {
    if (splitStatements(message.text).length > 1)
      throw new ClientError({ code: '42601', message: 'cannot insert multiple commands into a prepared statement' });
    this.statements.set(message.statement, { text: message.text, parameterTypes: message.parameterTypes });
    this.write(wire.parseComplete());
  }

  private bind(message: wire.BindMessage): void {
    const statement = this.statements.get(message.statement);
    if (!statement)
      throw new ClientError({ code: '26000', message: `prepared statement "${message.statement}" does not exist` });
    this.portals.set(message.portal, { text: statement.text, values: message.values });
    this.write(wire.bindComplete());
  }

  private async describe(target: { kind: string; name: string }): Promise<void> {
    if (target.kind === 'S') {
      const statement = this.statements.get(target.name);
      if (!statement)
        throw new ClientError({ code: '26000', message: `prepared statement "${target.name}" does not exist` });
      return this.write(wire.parameterDescription(statement.parameterTypes), wire.noData());
    }
    // A portal's columns are known once it has run: run it now and keep the rows for Execute.
    const portal = this.portalNamed(target.name);
    portal.outcome = await this.run(portal.text, portal.values);
    this.write(portal.outcome.fields ? wire.rowDescription(portal.outcome.fields) : wire.noData());
  }

  private async execute(name: string): Promise<void> {
    const portal = this.portalNamed(name);
    if (!portal.text.trim()) return this.write(wire.emptyQueryResponse());
    const outcome = portal.outcome ?? (await this.run(portal.text, portal.values));
    portal.outcome = undefined;
    this.write(...outcome.rows.map(wire.dataRow), wire.commandComplete(outcome.tag));
  }

  private portalNamed(name: string): Portal {
    const portal = this.portals.get(name);
    if (!portal) throw new ClientError({ code: '34000', message: `portal "${name}" does not exist` });
    return portal;
  }

  // ---- one statement ----

  private async run(text: string, values: Array<string | Buffer | null>): Promise<Outcome> {
    const startedAt = new Date();
    const entry = { session: this.id, user: this.user, text, error: undefined as string | undefined };
    this.context.log.push(entry);
    // One id per statement: a COPY's STL_LOAD_COMMITS rows and its SYS_QUERY_HISTORY row share it.
    const queryId = this.context.nextQueryId();
    let outcome: Outcome | undefined;
    try {
      outcome = await this.runTranslated(text, values, queryId);
      return outcome;
    } catch (error) {
      entry.error = asFields(error).message;
      throw error;
    } finally {
      await recordQuery(this.context.admin, {
        sessionId: this.id,
        userId: this.context.userId(this.user),
        queryId,
        transactionId: 0,
        database: this.context.database,
        queryLabel: this.queryGroup,
        queryType: queryType(text),
        text,
        startedAt,
        endedAt: new Date(),
        status: outcome ? 'success' : 'failed',
        returnedRows: outcome?.rows.length ?? 0,
        errorMessage: entry.error,
      });
    }
  }

  private async runTranslated(text: string, values: Array<string | Buffer | null>, queryId: number): Promise<Outcome> {
    const group = /^\s*(?:set\s+query_group\s+to\s+'((?:[^']|'')*)'|reset\s+query_group)\s*$/i.exec(text);
    if (group) this.queryGroup = (group[1] ?? '').replace(/''/g, "'");
    const translation = translate(text, { inTransactionBlock: this.status !== 'I' });
    switch (translation.kind) {
      case 'refuse':
        return this.refuse(translation.error.code, translation.error.message);
      case 'ignore':
        return { rows: [], tag: translation.tag };
      case 'copy':
        return this.copy(text, queryId);
      case 'run': {
        let outcome: Outcome = { rows: [], tag: '' };
        const last = translation.sql.length - 1;
        for (const [n, sql] of translation.sql.entries())
          outcome = await this.backingQuery(sql, n === last ? values : []);
        if (translation.tag) outcome = { rows: [], tag: translation.tag };
        // The keys are recorded when the statement ran; a rolled-back CREATE leaves a record
        // for a table that does not exist, which SVV_TABLE_INFO never shows (it joins pg_class).
        if (translation.createdTable)
          await recordTableKeys(this.context.admin, { schema: 'public', ...translation.createdTable });
        if (translation.alteredKeys) await this.alterKeys(translation.alteredKeys);
        for (const table of translation.droppedTables ?? []) await forgetTable(this.context.admin, 'public', table);
        // AWS "TRUNCATE" (https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html):
        // "The TRUNCATE command commits the transaction in which it is run."
        if (translation.commitsTransaction && this.status === 'T') await this.backingQuery('commit', []);
        return outcome;
      }
    }
  }

  /** ALTER TABLE changed some keys: the others stay as recorded (or Redshift's defaults). */
  private async alterKeys(change: KeyChange): Promise<void> {
    const { rows } = await this.context.admin.query<{
      diststyle: string;
      distkey: string | null;
      sortkey_kind: string;
      sortkey: string[];
      encodings: Record<string, string>;
    }>(
      `select diststyle, distkey, sortkey_kind, sortkey, encodings from ${LOG_SCHEMA}.table_keys where schema_name = 'public' and table_name = $1`,
      [change.table],
    );
    const old = rows[0] ?? { diststyle: 'AUTO(ALL)', distkey: null, sortkey_kind: 'auto', sortkey: [], encodings: {} };
    const keys: TableKeys = {
      schema: 'public',
      table: change.table,
      diststyle: change.diststyle ?? old.diststyle,
      distkey: (change.distkey === undefined ? old.distkey : change.distkey) ?? undefined,
      sortkeyKind: change.sortkeyKind ?? old.sortkey_kind,
      sortkey: change.sortkey ?? old.sortkey,
      encodings: change.encodeAuto ? {} : { ...old.encodings, ...change.encodings },
    };
    await recordTableKeys(this.context.admin, keys);
  }

  private async backingQuery(sql: string, values: Array<string | Buffer | null>): Promise<Outcome> {
    this.tags = [];
    try {
      const result = await this.backing!.query({ text: sql, values, rowMode: 'array' });
      const fields =
        result.fields.length > 0 || result.command === 'SELECT'
          ? result.fields.map((f) => ({ ...f, name: f.name }))
          : undefined;
      return { fields, rows: result.rows as Array<Array<string | null>>, tag: this.tags.at(-1) ?? result.command };
    } catch (error) {
      throw new ClientError(fromBacking(error as pg.DatabaseError));
    }
  }

  /**
   * An error the stand-in raises itself goes through the backing session, so that inside a
   * transaction block the transaction is aborted as any Redshift error aborts it.
   */
  private async refuse(code: string, message: string): Promise<never> {
    const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await this.backingQuery(
      `do $standin$ begin raise exception using errcode = ${literal(code)}, message = ${literal(message)}; end $standin$`,
      [],
    );
    throw new ClientError({ code, message });
  }

  // ---- COPY from S3 ----

  private async copy(text: string, queryId: number): Promise<Outcome> {
    const startedAt = new Date();
    let statement: CopyStatement;
    let result: CopyResult;
    try {
      statement = parseCopy(text);
    } catch (error) {
      if (error instanceof RedshiftError) return this.refuse(error.code, error.message);
      throw error;
    }
    const columns = await this.tableColumns(statement.table);
    try {
      result = await executeCopy(statement, columns, this.context.s3);
    } catch (error) {
      if (!(error instanceof RedshiftError)) throw error;
      await this.recordCopy(statement, queryId, startedAt, 'failed', { columns: [], rows: [], errors: [], files: [] });
      return this.refuse(error.code, error.message);
    }
    await this.recordCopy(statement, queryId, startedAt, result.failure ? 'failed' : 'success', result);
    if (result.failure) return this.refuse(result.failure.code, result.failure.message);
    await this.insertRows(statement.table, result, columns);
    await this.backingQuery(lastCopySql({ queryId, rowsLoaded: result.rows.length }), []);
    return { rows: [], tag: `COPY ${result.rows.length}` };
  }

  private async recordCopy(
    statement: CopyStatement,
    queryId: number,
    startedAt: Date,
    status: 'success' | 'failed',
    result: CopyResult,
  ): Promise<void> {
    const table = await this.backingQuery('select coalesce(to_regclass($1)::oid, 0)::text as id', [
      quoteIdent(statement.table),
    ]);
    await recordCopy(this.context.admin, {
      deployment: this.context.deployment,
      sessionId: this.id,
      userId: this.context.userId(this.user),
      queryId,
      transactionId: 0,
      database: this.context.database,
      table: statement.table,
      tableId: Number(table.rows[0][0]),
      startedAt,
      endedAt: new Date(),
      status,
      dataSource: statement.from,
      fileFormat: 'JSON',
      rowsLoaded: status === 'success' ? result.rows.length : 0,
      files: result.files,
      errors: result.errors,
    });
  }

  private async tableColumns(table: string): Promise<TargetColumn[]> {
    const { rows } = await this.backingQuery(
      `select a.attname, format_type(a.atttypid, a.atttypmod), (a.attidentity <> '')::text, a.attnotnull::text
from pg_attribute a
where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped
order by a.attnum`,
      [quoteIdent(table)],
    );
    if (rows.length === 0) return this.refuse('42P01', `relation "${table}" does not exist`);
    return rows.map(([name, pgType, identity, notNull]) => ({
      name: name!,
      pgType: pgType!,
      identity: identity === 'true',
      notNull: notNull === 'true',
    }));
  }

  /** The loaded rows go in through this session, inside the client's transaction. */
  private async insertRows(table: string, result: CopyResult, columns: TargetColumn[]): Promise<void> {
    const types = result.columns.map((c) => columns.find((t) => t.name === c)!.pgType);
    const list = result.columns.map(quoteIdent).join(', ');
    const casts = types.map((type, i) => (/^(character|text)/.test(type) ? `u.c${i}` : `u.c${i}::${type}`)).join(', ');
    const unnest = types.map((_, i) => `$${i + 1}::text[]`).join(', ');
    const names = types.map((_, i) => `c${i}`).join(', ');
    const sql = `insert into ${quoteIdent(table)} (${list}) select ${casts} from unnest(${unnest}) as u(${names})`;
    for (let start = 0; start < result.rows.length; start += 5000) {
      const batch = result.rows.slice(start, start + 5000);
      const arrays = result.columns.map((_, i) => batch.map((row) => row[i]));
      await this.backingQuery(sql, arrays as unknown as string[]);
    }
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function md5(text: string): string {
  return crypto.createHash('md5').update(text, 'latin1').digest('hex');
}

function queryType(text: string): string {
  const word = /^\s*(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
  if (['SELECT', 'WITH'].includes(word)) return 'SELECT';
  if (['INSERT', 'UPDATE', 'DELETE', 'COPY', 'UNLOAD'].includes(word)) return word;
  if (['CREATE', 'ALTER', 'DROP', 'TRUNCATE'].includes(word)) return 'DDL';
  return 'UTILITY';
}

function asFields(error: unknown): wire.ErrorFields {
  if (error instanceof ClientError) return error.fields;
  if (error instanceof RedshiftError) return { code: error.code, message: error.message, detail: error.detail };
  return { code: 'XX000', message: (error as Error).message };
}

function fromBacking(error: pg.DatabaseError): wire.ErrorFields {
  return {
    severity: error.severity,
    code: error.code ?? 'XX000',
    message: error.message,
    detail: error.detail,
    hint: error.hint,
  };
}
