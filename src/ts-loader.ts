// How a worker thread or a child process of ours runs a TypeScript file: the way this
// process does. Under the npm scripts that is the compiled build (tools/run-built.js,
// which names itself here); under mocha, which runs the tests through tsx, it is tsx.
const BUILT = Symbol.for('sparkify-warehouse.ts-loader');

/** Node's arguments that make a .ts file loadable in a worker or child process. */
export function typeScriptExecArgv(): string[] {
  const built = (globalThis as Record<symbol, string | undefined>)[BUILT];
  return ['--require', built ?? require.resolve('tsx/cjs')];
}
