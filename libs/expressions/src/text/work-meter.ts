/**
 * Counts the work one evaluation does, in steps that do not depend on the machine's speed or load: one
 * per expression node, one per character of text a node produces, and one per character a regular
 * expression search may scan. An expression or attribute crafted to make evaluation slow (a regex
 * replaced all over a long text, text doubled by nested calls) therefore stops at the same point on
 * every machine, with an error for that user only, instead of blocking the mapper.
 */
export const DEFAULT_WORK_BUDGET = 4_000_000;

export class WorkBudgetExceeded extends Error {
  override readonly name = 'WorkBudgetExceeded';
  constructor(readonly budget: number) {
    super(`the evaluation needs more than ${budget} steps`);
  }
}

export class WorkMeter {
  private spent = 0;

  constructor(readonly budget: number = DEFAULT_WORK_BUDGET) {}

  get used(): number {
    return this.spent;
  }

  /** Charged before the work is done, so work past the budget never starts: `used` never passes `budget`. */
  charge(steps: number): void {
    if (this.spent + steps > this.budget) throw new WorkBudgetExceeded(this.budget);
    this.spent += steps;
  }
}

