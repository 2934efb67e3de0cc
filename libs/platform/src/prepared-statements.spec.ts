import { StatementNames } from './prepared-statements';

describe('StatementNames', () => {
  it('gives one name per distinct text, the same every time', () => {
    const names = new StatementNames(10);
    const a = names.nameFor('SELECT 1 WHERE $1');
    const b = names.nameFor('SELECT 2 WHERE $1');
    expect(a).not.toEqual(b);
    expect(names.nameFor('SELECT 1 WHERE $1')).toEqual(a);
    expect(names.size).toBe(2);
  });

  it('names nothing new past its limit, and keeps the names it gave', () => {
    const names = new StatementNames(2);
    const first = names.nameFor('a $1');
    names.nameFor('b $1');
    expect(names.nameFor('c $1')).toBeUndefined();
    expect(names.nameFor('a $1')).toEqual(first);
    expect(names.size).toBe(2);
  });
});
