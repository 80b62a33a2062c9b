import { useState, type ReactElement } from 'react';
import { errorMessage } from '../state/bridge';
import { useApp } from '../state/app-context';
import type { User } from '../state/types';
import { Dialog } from '../ui/dialog';
import { UserPicker } from './user-picker';
import './dialogs.css';

/** Find someone by name and open (or create) the direct chat with them. */
export function NewDirectDialog(): ReactElement {
  const app = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function choose(user: User): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const c = await app.conversations.openDirect(user.id);
      app.ui.openConversation(c.id);
      app.ui.closePanel();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <Dialog title="New chat" onClose={() => app.ui.closePanel()} className="new-chat-dialog">
      <UserPicker label="Search people" onPick={(u) => void choose(u)} clearOnPick={false} />
      {busy && (
        <p className="dialog-note" role="status">
          Opening the chat…
        </p>
      )}
      {error !== null && (
        <p className="form-error dialog-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
