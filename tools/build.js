// The compiled build the npm scripts run: every TypeScript file of the tool (knexfile.ts,
// src/, scripts/, migrations/, transforms/) as CommonJS in build/, one .js per .ts at the
// same relative path, and build/manifest.json saying which source (size, mtime) each was
// compiled from. `npm ci` builds it (package.json "prepare"), `npm run build` builds it
// again from nothing, and tools/run-built.js recompiles the sources that changed since
// before any command runs, so a command never runs older code than its checkout holds.
//
// Plain JavaScript: this runs before anything is compiled. Each file is compiled on its
// own (TypeScript's transpileModule; tsconfig.json has isolatedModules, so nothing is
// lost), which is what lets a changed file be recompiled alone. Type errors are the type
// check's business (npm run typecheck, npm test), as they were under tsx.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = 'build';
const SOURCES = ['knexfile.ts', 'src', 'scripts', 'migrations', 'transforms'];

/** The TypeScript files of the tool, relative to `root` with '/' between names, sorted. */
function listSources(root) {
  const files = [];
  for (const entry of SOURCES) {
    const at = `${root}/${entry}`;
    if (entry.endsWith('.ts')) {
      if (fs.existsSync(at)) files.push(entry);
    } else if (fs.existsSync(at)) {
      walk(at, entry, files);
    }
  }
  return files.sort();
}

// Not readdirSync's `recursive` (it stats every entry again), nor path.join (it normalises
// each path): this runs at every command's start.
function walk(dir, relative, files) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) walk(`${dir}/${entry.name}`, `${relative}/${entry.name}`, files);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(`${relative}/${entry.name}`);
  }
}

/**
 * What a compiled file depends on besides its source: the compiler options and this file,
 * and the compiler where it is installed (a build stays good without it, as long as the
 * sources do not change). A change compiles everything again.
 */
function compilerKey(root, manifest) {
  const files = [`${root}/tsconfig.json`, __filename];
  const compiler = fs.statSync(`${root}/node_modules/typescript/package.json`, { throwIfNoEntry: false });
  const key = files.map((file) => signature(fs.statSync(file)).join(':')).join(' ');
  return `${key} ${compiler ? signature(compiler).join(':') : (manifest?.key.split(' ')[2] ?? 'absent')}`;
}

function signature(stat) {
  return [stat.size, stat.mtimeMs];
}

function readManifest(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, BUILD_DIR, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The sources the build does not match: changed (size or mtime not those compiled) or new;
 * all of them when there is no build (`why` says so) or the compiler changed. `removed`
 * lists sources the build has and the checkout no longer does (their output is never
 * loaded: directories are listed from the sources; the next build's manifest forgets them).
 */
function staleSources(root = ROOT) {
  const manifest = readManifest(root);
  const sources = listSources(root);
  if (!manifest) return { stale: sources, removed: [], why: 'there is no build yet' };
  if (manifest.key !== compilerKey(root, manifest))
    return { stale: sources, removed: [], why: 'the compiler or tsconfig.json changed' };
  const stale = [];
  for (const file of sources) {
    const built = manifest.files[file];
    const now = signature(fs.statSync(`${root}/${file}`));
    if (!built || built[0] !== now[0] || built[1] !== now[1]) stale.push(file);
  }
  const present = new Set(sources);
  const removed = Object.keys(manifest.files).filter((file) => !present.has(file));
  const named = [...stale, ...removed];
  return {
    stale,
    removed,
    why: named.length
      ? `${named.slice(0, 3).join(', ')}${named.length > 3 ? ` and ${named.length - 3} more` : ''} changed`
      : undefined,
  };
}

/** The compiled path of a source file. */
function outputOf(root, file) {
  return path.join(root, BUILD_DIR, file.replace(/\.ts$/, '.js'));
}

/** TypeScript's compiler options for this project, from tsconfig.json. */
function compilerOptions(ts, root) {
  const read = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent({ compilerOptions: read.config.compilerOptions }, ts.sys, root);
  return { ...parsed.options, noEmit: false, sourceMap: false, inlineSourceMap: false, declaration: false };
}

function loadTypeScript(root) {
  try {
    return require(require.resolve('typescript', { paths: [root] }));
  } catch {
    return undefined;
  }
}

/** JavaScript for one source file, with its path as `fileName` (for messages). */
function transpile(ts, options, root, file) {
  return ts.transpileModule(fs.readFileSync(path.join(root, file), 'utf8'), {
    compilerOptions: options,
    fileName: path.join(root, file),
  }).outputText;
}

/** Writes `text` to `file` whole or not at all: a command starting meanwhile reads the old file or the new one. */
function writeWhole(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

/**
 * Compiles what is stale (everything with `clean`) and writes the manifest last. Returns
 * the files compiled. Throws when TypeScript cannot be loaded, saying what to do.
 */
function build(root = ROOT, { clean = false } = {}) {
  const ts = loadTypeScript(root);
  if (!ts)
    throw new Error(
      'TypeScript is not installed, so the compiled build cannot be made: run npm ci in the project folder.',
    );
  if (clean) fs.rmSync(path.join(root, BUILD_DIR), { recursive: true, force: true });
  const { stale } = clean ? { stale: listSources(root) } : staleSources(root);
  const previous = readManifest(root);
  const options = compilerOptions(ts, root);
  const toCompile = new Set(stale);
  const files = {};
  for (const file of listSources(root)) {
    // The signature is read before the file: an edit made during the build leaves it stale.
    const now = signature(fs.statSync(path.join(root, file)));
    if (toCompile.has(file)) {
      writeWhole(outputOf(root, file), transpile(ts, options, root, file));
      files[file] = now;
    } else {
      files[file] = previous?.files[file];
    }
  }
  writeWhole(
    path.join(root, BUILD_DIR, 'manifest.json'),
    JSON.stringify({ key: compilerKey(root), typescript: ts.version, files }, null, 1),
  );
  return stale;
}

module.exports = {
  ROOT,
  BUILD_DIR,
  build,
  staleSources,
  outputOf,
  readManifest,
  loadTypeScript,
  compilerOptions,
  transpile,
};

if (require.main === module) {
  const started = Date.now();
  try {
    const compiled = build(ROOT, { clean: process.argv.includes('--clean') });
    console.error(
      `Compiled ${compiled.length} TypeScript files into ${BUILD_DIR}/ in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
