import { describe, expect, it } from 'vitest';
import { hostOf, normaliseServerAddress } from './server-address';

describe('normaliseServerAddress', () => {
  it('adds https:// to a bare host and keeps a typed http://', () => {
    expect(normaliseServerAddress('  chat.example.com ')).toBe('https://chat.example.com');
    expect(normaliseServerAddress('localhost:8080')).toBe('https://localhost:8080');
    expect(normaliseServerAddress('http://192.168.1.5:3000/')).toBe('http://192.168.1.5:3000');
    expect(normaliseServerAddress('HTTPS://Chat.Example.com')).toBe('https://chat.example.com');
  });

  it('keeps a path prefix but drops trailing slashes, query and fragment', () => {
    expect(normaliseServerAddress('example.com/courier//?x=1#top')).toBe('https://example.com/courier');
  });

  it('refuses what cannot be a server address', () => {
    expect(normaliseServerAddress('')).toBeNull();
    expect(normaliseServerAddress('   ')).toBeNull();
    expect(normaliseServerAddress('ftp://example.com')).toBeNull();
    expect(normaliseServerAddress('https://user:pw@example.com')).toBeNull();
    expect(normaliseServerAddress('chat example.com')).toBeNull();
    expect(normaliseServerAddress('javascript://alert(1)')).toBeNull();
  });
});

describe('hostOf', () => {
  it('names the host with its port', () => {
    expect(hostOf('https://chat.example.com/x')).toBe('chat.example.com');
    expect(hostOf('http://localhost:8080')).toBe('localhost:8080');
    expect(hostOf('not a url')).toBe('not a url');
  });
});
