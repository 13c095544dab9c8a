// Preloaded by the npm scripts (`node --require ./tools/run-built.js scripts/<command>.ts`):
// the tool's TypeScript runs from the compiled build (tools/build.js) instead of being
// compiled at each start by tsx. A `.ts` file is loaded as its compiled .js, under its own
// path, so __dirname, the migrations' names in knex_migrations and the transforms' file
// names are what they are under tsx.
//
// Never a stale build: before the command runs, every source is compared (size, mtime)
// with what its compiled file was made from, and what changed is compiled again first (a
// note on stderr says so). When that cannot be done (TypeScript not installed) the command
// says so and stops. A .ts the build does not hold, or one edited after the command
// started, is compiled in memory as it loads.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const {
  ROOT,
  BUILD_DIR,
  build,
  staleSources,
  outputOf,
  readManifest,
  loadTypeScript,
  compilerOptions,
  transpile,
} = require('./build');

function compileWhatChanged() {
  const { stale, removed, why } = staleSources(ROOT);
  if (stale.length === 0 && removed.length === 0) return;
  try {
    build(ROOT);
  } catch (error) {
    console.error(
      `The compiled build in ${BUILD_DIR}/ does not match the sources (${why}) and could not be made again: ${error.message}`,
    );
    process.exit(1);
  }
  console.error(`Recompiled ${stale.length} TypeScript file(s) into ${BUILD_DIR}/ first (${why}).`);
}

compileWhatChanged();
const built = readManifest(ROOT).files;
let inMemory;

/** The compiled file of `file` when it was compiled from the source as it is now (an edit made since the command started is not). */
function compiledFile(file) {
  const signature = built[file];
  if (!signature) return undefined;
  const now = fs.statSync(`${ROOT}/${file}`);
  return now.size === signature[0] && now.mtimeMs === signature[1] ? outputOf(ROOT, file) : undefined;
}

Module._extensions['.ts'] = function loadCompiled(module, filename) {
  const file = filename.startsWith(ROOT + path.sep)
    ? filename
        .slice(ROOT.length + 1)
        .split(path.sep)
        .join('/')
    : filename;
  const compiled = compiledFile(file);
  if (compiled) return module._compile(fs.readFileSync(compiled, 'utf8'), filename);
  inMemory ??= { ts: loadTypeScript(ROOT) };
  if (!inMemory.ts)
    throw new Error(
      `${filename} is not in the compiled build and TypeScript is not installed to compile it: run npm ci.`,
    );
  inMemory.options ??= compilerOptions(inMemory.ts, ROOT);
  return module._compile(
    transpile(inMemory.ts, inMemory.options, path.dirname(filename), path.basename(filename)),
    filename,
  );
};

// Worker threads and child processes that run a .ts file preload this same file (src/ts-loader.ts).
globalThis[Symbol.for('sparkify-warehouse.ts-loader')] = __filename;
