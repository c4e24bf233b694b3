/**
 * The empty flag list, saying what to do next: with no flag yet, what a flag
 * is for and how to make the first one; with filters hiding everything, how to
 * see the flags again.
 */
export function FlagsEmpty({
  noFlagsYet,
  canCreate,
  onCreate,
  onClear,
}: {
  noFlagsYet: boolean;
  canCreate: boolean;
  onCreate: () => void;
  onClear: () => void;
}) {
  if (!noFlagsYet) {
    return (
      <div className="empty">
        <p>No flag matches these filters.</p>
        <p>
          Search looks in keys, descriptions, owners and tags. <button type="button" className="link-button" onClick={onClear}>Clear filters</button> to
          see every flag.
        </p>
      </div>
    );
  }
  return (
    <div className="empty">
      <p>
        <strong>No flags yet.</strong> A flag lets you ship code switched off, then turn it on per environment — for a few users, a
        percentage, or everyone — without a deploy, and off again in a second if something goes wrong.
      </p>
      {canCreate ? (
        <p>
          <button type="button" className="primary" onClick={onCreate}>
            Create your first flag
          </button>{' '}
          — give it a key your code will ask for (like <code>new_checkout</code>), an owner and a few tags so your team can find it.
        </p>
      ) : (
        <p>Your role can look but not create: ask an editor of this project to create the first flag.</p>
      )}
    </div>
  );
}
