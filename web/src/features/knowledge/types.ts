export interface Source {
  id: number | string;
  title: string;
  path: string;
  section: string;
  start_line: number;
  score: number;
  snippet: string;
}

export interface Answer {
  query: string;
  response: string;
  sources: Source[];
  mode: string;
}
