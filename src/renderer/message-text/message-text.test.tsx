// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderWithApp, signedInApp } from '../test-support/app-harness';
import { MessageText } from './message-text';

afterEach(cleanup);

describe('MessageText', () => {
  it('renders hostile strings as text: no elements are created from them', async () => {
    const { app } = await signedInApp();
    const hostile = '<img src=x onerror=alert(1)> <script>alert(1)</script> javascript:alert(1) **bold** http://a.b/"><script>alert(2)</script>';
    const { container } = renderWithApp(app, <MessageText body={hostile} />);
    expect(container.querySelector('img, script, strong, b')).toBeNull();
    expect(container.textContent).toBe(hostile);
    const anchors = [...container.querySelectorAll('a')];
    expect(anchors.map((a) => a.getAttribute('href'))).toEqual(['http://a.b/']);
  });

  it('opens links through main and never navigates, by click or Enter', async () => {
    const user = userEvent.setup();
    const { app, fake } = await signedInApp();
    fake.handle('shell.openExternal', () => null);
    renderWithApp(app, <MessageText body={'read www.example.com/docs, then JaVaScRiPt:alert(1)'} />);
    const link = screen.getByRole('link', { name: 'www.example.com/docs' });
    expect(link.getAttribute('href')).toBe('https://www.example.com/docs');
    expect(screen.getAllByRole('link')).toHaveLength(1);
    await user.click(link);
    link.focus();
    await user.keyboard('{Enter}');
    expect(fake.callsOf('shell.openExternal')).toEqual([{ url: 'https://www.example.com/docs' }, { url: 'https://www.example.com/docs' }]);
    expect(window.location.href).toBe('http://localhost:3000/');
  });

  it('keeps newlines and isolates the text direction', async () => {
    const { app } = await signedInApp();
    const { container } = renderWithApp(app, <MessageText body={'one\ntwo \u202Eevil'} />);
    const text = container.querySelector('.message-text');
    expect(text?.getAttribute('dir')).toBe('auto');
    expect(text?.textContent).toBe('one\ntwo \u202Eevil');
  });
});
