import type { ReactElement } from 'react';
import './ui.css';

/**
 * Marks a person whose name could be taken for someone else's, where the @username is
 * already shown on its own line (member lists, contact info, people search): look there.
 */
export function SimilarName(): ReactElement {
  return (
    <span className="similar-name" title="Someone else has a name that looks the same: check the username.">
      Similar name
    </span>
  );
}
