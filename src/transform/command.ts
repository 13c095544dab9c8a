// The transform command as a function: npm run transform, npm run check and npm start
// call it. Prints progress and results; returns them with whether any step failed.
import type { WarehouseConfig } from '../config';
import { postgres, redshift } from '../dialects';
import { redact } from '../errors';
import { withWarehouse, type Warehouse } from '../targets/connect';
import { terminalProgress } from './progress';
import { dryRunSteps, loadSteps, runSteps, selectSteps, type Selection, type StepResult } from './runner';
import type { RunOptions } from './step';
import { stepLine, summaryTable } from './summary';

export interface TransformCommandOptions {
  selection: Selection;
  options: RunOptions;
  /** Reuse an open warehouse (npm start); otherwise one is opened and closed. */
  warehouse?: Warehouse;
  print?: (text: string) => void;
}

export async function runTransformCommand(config: WarehouseConfig, command: TransformCommandOptions): Promise<{ results: StepResult[]; failed: boolean }> {
  const print = command.print ?? ((text: string) => console.log(text));
  const steps = selectSteps(loadSteps(), command.selection);

  if (command.options.dryRun) {
    const engine = config.target === 'redshift' ? 'redshift' : 'postgres';
    const results = await dryRunSteps(engine, engine === 'redshift' ? redshift : postgres, steps, config, command.options);
    print(`-- transform --dry-run for ${engine}: each step runs in its own transaction.`);
    for (const r of results) print(`\n-- ${r.id}: ${r.description}\n${r.statements!.map((s) => `${s.trim()};`).join('\n\n')}`);
    return { results, failed: false };
  }

  const run = async (warehouse: Warehouse) => {
    print(`Target: ${warehouse.target} (${warehouse.location})`);
    const results = await runSteps(warehouse, steps, config, command.options, {
      log: print,
      progress: terminalProgress(),
      onStepDone: (result) => print(redact(stepLine(result), config.secrets)),
    });
    print(`\n${summaryTable(results)}`);
    const failed = results.find((r) => r.status === 'error');
    if (failed) print(`\n${failed.id} failed: ${redact(failed.error?.message ?? '', config.secrets)}`);
    return { results, failed: failed !== undefined };
  };
  return command.warehouse ? run(command.warehouse) : withWarehouse(config, run, { log: print });
}
