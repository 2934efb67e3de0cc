import { OperatorDirectory, parseOperators } from './operators';

describe('parseOperators', () => {
  it('reads name:token pairs separated by commas, trimming spaces', () => {
    expect(parseOperators(' alice:token-a , bob:token-b')).toEqual({
      operators: [
        { name: 'alice', token: 'token-a' },
        { name: 'bob', token: 'token-b' },
      ],
      problems: [],
    });
  });

  it('keeps colons after the first one as part of the token', () => {
    expect(parseOperators('alice:abc:def').operators).toEqual([{ name: 'alice', token: 'abc:def' }]);
  });

  it.each([
    ['', 'lists no operator; expected name:token[,name:token...]'],
    [' , ', 'lists no operator; expected name:token[,name:token...]'],
    ['alice', 'entry 1 is not name:token'],
    ['alice:', 'entry 1 is not name:token'],
    [':token', 'entry 1 is not name:token'],
    ['alice:a,bob', 'entry 2 is not name:token'],
    ['al ice:a', 'entry 1: the name must be 1-64 letters, digits or . _ @ - (starting with a letter or digit)'],
    ['alice:to ken', 'entry 1 (alice): the token must be printable characters without spaces or commas'],
    ['alice:a,alice:b', 'operator alice is listed twice'],
    ['alice:same,bob:same', 'operator bob shares a token with another operator'],
  ])('names the problem in %j', (value, problem) => {
    expect(parseOperators(value).problems).toEqual([problem]);
  });
});

describe('OperatorDirectory', () => {
  const directory = new OperatorDirectory([
    { name: 'alice', token: 'token-a' },
    { name: 'bob', token: 'token-b' },
  ]);

  it('finds the operator holding a token', () => {
    expect(directory.authenticate('token-b')?.name).toBe('bob');
  });

  it('accepts a name given with the token when they belong together', () => {
    expect(directory.authenticate('token-a', 'alice')?.name).toBe('alice');
  });

  it('refuses a token given with another operator’s name', () => {
    expect(directory.authenticate('token-a', 'bob')).toBeUndefined();
  });

  it.each(['', 'token', 'token-a ', 'TOKEN-A', 'token-a-and-more'])('refuses the wrong token %j', (token) => {
    expect(directory.authenticate(token)).toBeUndefined();
  });

  it('looks operators up by name', () => {
    expect(directory.named('alice')?.token).toBe('token-a');
    expect(directory.named('carol')).toBeUndefined();
  });
});
