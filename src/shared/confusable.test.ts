import { describe, expect, it } from 'vitest';
import { ambiguousPeople, nameWithHandle, skeleton, skeletons } from './confusable';

const person = (userId: string, username: string, displayName: string | null) => ({ userId, username, displayName });

describe('confusable names (UTS #39 skeletons)', () => {
  it('maps look-alikes across scripts, case and invisible characters to one skeleton', () => {
    expect(skeleton('Аlice')).toBe(skeleton('Alice')); // Cyrillic А
    expect(skeleton('аlісе')).toBe(skeleton('alice')); // Cyrillic а, і, с, е
    expect(skeleton('ΑLICE')).toBe(skeleton('alice')); // Greek Α, any case
    expect(skeleton('Bo\u200Bb')).toBe(skeleton('Bob'));
    expect(skeleton('rn')).toBe(skeleton('m'));
    expect(skeletons('Ian')[0]).toBe(skeletons('lan')[0]); // capital I and small L, as written
    expect(skeleton('Zoe\u0301')).toBe(skeleton('Zoé'));
    expect(skeleton('Alice')).not.toBe(skeleton('Alina'));
  });

  it('flags every member whose shown name collides with another one, display name or username', () => {
    const people = [
      person('u1', 'alice', 'Alice'),
      person('u2', 'alice2', 'Аlice'),
      person('u3', 'bob', null),
      person('u4', 'robert', 'bob'),
      person('u5', 'carol', 'Carol'),
      person('u6', 'ian', 'Ian'),
      person('u7', 'lan', 'lan'),
    ];
    const ambiguous = ambiguousPeople(people);
    expect([...ambiguous].sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u6', 'u7']);
    expect(nameWithHandle(people[1]!, ambiguous)).toBe('Аlice (@alice2)');
    expect(nameWithHandle(people[4]!, ambiguous)).toBe('Carol');
  });
});
