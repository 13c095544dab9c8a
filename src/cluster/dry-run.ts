// --dry-run: each verb lists the calls it would make, built by the same input functions
// the real run sends, and this prints them. Nothing here touches AWS or credentials.
import { redact } from '../errors';

export type PlanStep =
  | { service: 'redshift' | 'redshift-serverless' | 'iam' | 'ec2'; action: string; input: object; when?: string }
  | { note: string };

export function printPlan(verb: string, steps: PlanStep[], out: (line: string) => void, secrets: string[]): void {
  out(`dry run of "${verb}": no AWS call is made. It would do, in order:`);
  steps.forEach((step, index) => {
    const number = `${index + 1}.`.padEnd(4);
    if ('note' in step) {
      out(`${number}${step.note}`);
      return;
    }
    const when = step.when ? `   (${step.when})` : '';
    out(`${number}${step.service}:${step.action}${when}`);
    for (const line of showInput(step.input).split('\n')) out(`      ${redact(line, secrets)}`);
  });
}

/** JSON with passwords masked and embedded policy documents shown as objects. */
function showInput(input: object): string {
  return JSON.stringify(
    input,
    (key, value) => {
      // A password is a string; a flag such as manageAdminPassword: true is shown as it is.
      if (/password/i.test(key) && value !== undefined && typeof value !== 'boolean') return '***';
      if (key.endsWith('PolicyDocument') && typeof value === 'string') return JSON.parse(value);
      return value;
    },
    2,
  );
}
