// The error a statement failed with, for tests that expect a refusal.
import type pg from 'pg';

/** Awaits `work` and returns the error it rejected with; fails the test when it succeeded. */
export async function rejectionOf(work: Promise<unknown>): Promise<pg.DatabaseError> {
  try {
    await work;
  } catch (error) {
    return error as pg.DatabaseError;
  }
  throw new Error('expected the statement to fail');
}
