/** "1 task", "2 tasks": English plurals for the nouns the page counts, all of which take an s. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
