import type { PGlite, QueryOptions, Results } from '@electric-sql/pglite';
import { messages, parse, protocol } from '@electric-sql/pglite';

const { serialize } = protocol;

/** How many statements stay prepared at most; the least recently used one is closed to make room. */
export const NAMED_STATEMENT_LIMIT = 200;

/** How many texts seen once are remembered, waiting to be seen a second time (the oldest is forgotten first). */
const SEEN_LIMIT = 1_000;

/**
 * The PGlite client Drizzle is given: `query()` runs a text it has seen before as a named statement, parsed and
 * planned once, where PGlite's own `query()` parses and plans it again at every call (an unnamed statement). On
 * PostgreSQL node-postgres does the same with named statements, and PostgreSQL keeps the plan (a generic one
 * after five executions). Everything else (exec, transaction, listen, close, …) is the client's own, and a
 * transaction's statements (PGlite's Transaction object, which Drizzle uses inside `db.transaction`) stay unnamed.
 *
 * A text is named the second time it is seen, so that one-off texts are not kept; texts without parameters
 * (migrations, `select 1`) and queries with a blob or explicit parameter types are left to PGlite's own `query()`.
 * Around the protocol this does what PGlite's `query()` does: it waits for a transaction in progress and for the
 * statement in progress, serialises parameters by the types the statement was described with, parses results
 * with the client's parsers and the query's own, writes the data directory to disk afterwards, raises PGlite's
 * error objects (code, constraint, … and the query, as PGlite adds them), and ends every exchange with a Sync, so
 * that the session is usable after an error.
 */
export function withNamedStatements(client: PGlite, limit = NAMED_STATEMENT_LIMIT): PGlite {
  const statements = new NamedStatements(client, limit);
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return statements.query;
      if (property === namedStatements) return statements;
      const value = Reflect.get(target, property, target);
      // PGlite's methods use private fields: they must be called on the client itself, not on the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** For tests: the statements a client made by withNamedStatements keeps prepared. */
export function preparedTexts(client: PGlite): string[] {
  const statements = (client as unknown as Record<symbol, NamedStatements | undefined>)[namedStatements];
  return statements ? statements.texts() : [];
}

const namedStatements = Symbol('namedStatements');

interface Statement {
  name: string;
  /** The type of each parameter, as PostgreSQL inferred it (Describe of the statement). */
  types: number[];
}

/** PostgreSQL's refusal to run a prepared statement whose result columns changed (after DDL): run it unnamed. */
class PlanChanged extends Error {}

/** Statement names are unique in the process: two wrappers of one client must not take the same name. */
let statementCount = 0;
const PLAN_CHANGED = 'cached plan must not change result type';

class NamedStatements {
  /** Texts seen once, oldest first. */
  readonly #seen = new Set<string>();
  /** Prepared statements by text, least recently used first. */
  readonly #named = new Map<string, Statement>();
  private readonly client: PGlite;
  private readonly limit: number;

  constructor(client: PGlite, limit: number) {
    this.client = client;
    this.limit = limit;
  }

  texts(): string[] {
    return [...this.#named.keys()];
  }

  query = async <T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> => {
    if (!params?.length || options?.blob || options?.paramTypes || !this.#worthNaming(text))
      return this.client.query<T>(text, params, options);
    await this.client._checkReady();
    try {
      return await this.client._runExclusiveTransaction(() =>
        this.client._runExclusiveQuery(() => this.#run<T>(text, params, options)),
      );
    } catch (error) {
      if (error instanceof PlanChanged) return this.client.query<T>(text, params, options);
      throw error;
    }
  };

  #worthNaming(text: string): boolean {
    if (this.#named.has(text)) return true;
    if (this.#seen.delete(text)) return true;
    this.#remember(text);
    return false;
  }

  #remember(text: string): void {
    if (this.#seen.size >= SEEN_LIMIT) {
      const [oldest] = this.#seen;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    this.#seen.add(text);
  }

  async #run<T>(text: string, params: unknown[], options: QueryOptions | undefined): Promise<Results<T>> {
    let statement = this.#named.get(text);
    if (statement) {
      this.#named.delete(text);
      this.#named.set(text, statement);
    } else {
      statement = await this.#prepare(text, params, options);
    }
    const { types } = statement;
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const type = types[index] as number;
      const serializer = options?.serializers?.[type] ?? this.client.serializers[type];
      return serializer ? serializer(value) : String(value);
    });
    let results: messages.BackendMessage[];
    try {
      results = await this.#exchange(
        [
          serialize.bind({ statement: statement.name, values }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        ],
        options,
      );
    } catch (error) {
      if (error instanceof messages.DatabaseError && error.message.includes(PLAN_CHANGED)) {
        // A table changed under the statement (DDL since it was prepared): PostgreSQL will not run it so.
        await this.#close(text, statement);
        throw new PlanChanged(error.message);
      }
      throw withQuery(error, text, params, options);
    }
    // What PGlite's query() does next: the blob handling is moot (queries with a blob are not named).
    await this.client.syncToFs();
    return parse.parseResults(results, this.client.parsers, options)[0] as Results<T>;
  }

  async #prepare(text: string, params: unknown[], options: QueryOptions | undefined): Promise<Statement> {
    if (this.#named.size >= this.limit) {
      const [oldest] = this.#named;
      if (oldest) await this.#close(...oldest);
    }
    statementCount += 1;
    const name = `doable_${statementCount}`;
    let described: messages.BackendMessage[];
    try {
      described = await this.#exchange(
        [serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()],
        options,
      );
    } catch (error) {
      throw withQuery(error, text, params, options);
    }
    const statement = { name, types: parse.parseDescribeStatementResults(described) };
    this.#named.set(text, statement);
    return statement;
  }

  /** Closes a statement; its text is prepared again the next time it is seen. */
  async #close(text: string, statement: Statement): Promise<void> {
    this.#named.delete(text);
    this.#remember(text);
    await this.#exchange([serialize.close({ type: 'S', name: statement.name }), serialize.sync()], undefined);
  }

  /** One exchange with the backend, ending with a Sync: on an error it skipped to the Sync, and is ready again. */
  #exchange(parts: Uint8Array[], options: QueryOptions | undefined): Promise<messages.BackendMessage[]> {
    const message = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      message.set(part, offset);
      offset += part.length;
    }
    return this.client.execProtocolStream(message, { ...options, syncToFs: false });
  }
}

/** As PGlite raises a database error from query(): with the query, its parameters and options. */
function withQuery(error: unknown, text: string, params: unknown[], options: QueryOptions | undefined) {
  if (!(error instanceof messages.DatabaseError)) return error;
  return Object.assign(error, { query: text, params, queryOptions: options });
}
