import type { ReactElement } from 'react';
import type { ShownPerson } from '../format/names';
import './ui.css';

/**
 * A person's name, with "(@username)" beside it where the name alone could mislead. The
 * name is isolated (a right-to-left name cannot pull the handle into its run), and the
 * text read and announced is exactly `person.text`.
 */
export function PersonName({ person, className }: { person: ShownPerson; className?: string }): ReactElement {
  return (
    <span className={className === undefined ? 'person-name' : `person-name ${className}`}>
      <bdi>{person.name}</bdi>
      {person.handle !== null && (
        <>
          {' '}
          <span className="person-name__handle">(@{person.handle})</span>
        </>
      )}
    </span>
  );
}
