import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PlanError } from '../chaos/plan.ts';
import { EXIT } from '../common/exit-codes.ts';
import { isUserError, type UserError } from '../common/user-error.ts';
import { BudgetError } from '../contract/budgets.ts';
import { ReportInputError } from '../contract/errors.ts';
import { EngineConfigError } from '../engine/errors.ts';
import { StackError } from '../stack/stack.ts';

describe('the user-error marker', () => {
  it('is carried by the errors of every layer that reads user input', () => {
    for (const e of [
      new PlanError('plan.yaml', [{ path: 'steps', message: 'x' }]),
      new EngineConfigError('x'),
      new ReportInputError('x'),
      new BudgetError('x'),
      new StackError('x'),
    ]) {
      expect(isUserError(e), e.name).toBe(true);
      expect((e as UserError).exitCode).toBe(EXIT.usage);
    }
  });

  it('is not carried by an internal schema failure, whatever its class name', () => {
    const internal = z.object({ n: z.number() }).safeParse({ n: 'x' });
    expect(internal.success).toBe(false);
    expect(isUserError(internal.error)).toBe(false);
    const named = new Error('x');
    named.name = 'UsageError';
    expect(isUserError(named)).toBe(false);
  });
});
