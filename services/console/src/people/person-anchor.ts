/** The id of a person's row on the People page (the search palette opens it there). */
export function personAnchor(userId: string): string {
  return `person-${userId}`;
}
