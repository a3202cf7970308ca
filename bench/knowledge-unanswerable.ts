import type { Question } from './knowledge-questions.ts';

/**
 * Questions Doable's user guide (docs/) does not answer, asked of it as people would: chit-chat, other subjects,
 * features Doable does not have (near the guide's topics, so that they share words with it), and other products.
 * The knowledge base should decline them (no sources). `TUNING` is what the decision was tuned on; `HELD_BACK`
 * was written at the same time, before any tuning, and is only measured: do not tune to its misses.
 */
export const TUNING: string[] = [
  // Chit-chat and general knowledge
  'what is the meaning of life?',
  'hello, how are you today?',
  'tell me a joke',
  "what's the weather like in Paris tomorrow?",
  'who won the world cup in 2018?',
  'write a poem about autumn',
  'what is the capital of Australia?',
  'how do I bake sourdough bread?',
  'recommend a good book to read',
  'thanks, that was helpful!',
  'what is 17 times 23?',
  'who are you?',
  // Near the guide's topics: features Doable does not have
  'how do I back up to S3?',
  'is there an iPhone app?',
  'how do I add subtasks?',
  'can I attach a file to a task?',
  'does Doable have a Gantt chart?',
  'how much does Doable cost per month?',
  'does Doable support two-factor authentication?',
  'how do I enable dark mode on the Android widget?',
  'can I track the time I spend on a task?',
  'how do I set up Slack notifications?',
  'is there a Helm chart for Kubernetes?',
  'how do I configure LDAP login?',
  'how do I create a project with sections?',
  'how do I translate the interface into German?',
  'how do I upgrade PostgreSQL from 15 to 16?',
  'which Python version does Doable need?',
  // Other products and subjects
  'how do I create a filter in Todoist?',
  'how do I install Vikunja?',
  'what is a Jira epic?',
  'how do I write a Django migration?',
  'how do I center a div in CSS?',
  'what does git rebase do?',
  'how do I configure nginx caching?',
  'how do I train a neural network in PyTorch?',
  'how do I use Notion databases?',
  'explain React hooks',
  'what is the difference between TCP and UDP?',
];

export const HELD_BACK: string[] = [
  "what's your favourite colour?",
  'good morning!',
  'how tall is Mount Everest?',
  'can you help me plan my wedding?',
  'what is the best pizza topping?',
  'what is the airspeed velocity of an unladen swallow?',
  'does Doable have a Pomodoro timer?',
  'can Doable read my tasks aloud with Alexa?',
  'how do I print my task list?',
  'how do I encrypt my tasks end to end?',
  'is there a browser extension?',
  'how do I make a task depend on another task?',
  'can I colour-code my tags?',
  'does Doable integrate with Zapier?',
  'how many users can Doable handle on a Raspberry Pi?',
  'how do I migrate from Microsoft To Do?',
  'what are Asana portfolios?',
  'how do I set up a GitHub Actions workflow?',
  'how do I sort an array in JavaScript?',
  'what is a good name for my cat?',
];

/**
 * Questions the user guide does answer, with the page that does: the decision must not decline them. Phrased as
 * users ask, not copied from headings.
 */
export const GUIDE_QUESTIONS: Question[] = [
  { query: 'how do I create an API token?', file: 'docs/settings.md' },
  { query: 'how do I back up?', file: 'docs/backups.md' },
  { query: 'restore a backup into a new data folder', file: 'docs/backups.md' },
  { query: 'download all my data as JSON', file: 'docs/backups.md' },
  { query: 'import tasks exported from another Doable', file: 'docs/backups.md' },
  { query: 'change my time zone', file: 'docs/settings.md' },
  { query: 'how do I change my password?', file: 'docs/settings.md' },
  { query: 'I forgot my password', file: 'docs/settings.md' },
  { query: 'revoke a token I no longer use', file: 'docs/settings.md' },
  { query: 'which scopes can a token have?', file: 'docs/settings.md' },
  { query: 'how can I make a task repeat every week?', file: 'docs/tasks.md' },
  { query: 'what does quick add understand?', file: 'docs/tasks.md' },
  { query: 'list the tasks that are overdue', file: 'docs/tasks.md' },
  { query: 'sort my tasks by due date', file: 'docs/tasks.md' },
  { query: 'what happens when I complete a recurring task?', file: 'docs/tasks.md' },
  { query: 'retry a create without making a duplicate task', file: 'docs/tasks.md' },
  { query: 'which environment variable switches to PostgreSQL?', file: 'docs/configuration.md' },
  { query: 'where do I put a .env file?', file: 'docs/configuration.md' },
  { query: 'rate limits behind a reverse proxy see the wrong address', file: 'docs/configuration.md' },
  { query: 'what is the default port?', file: 'docs/configuration.md' },
  { query: 'run it with docker', file: 'docs/deployment.md' },
  { query: 'deploy on Hugging Face Spaces', file: 'docs/deployment.md' },
  { query: 'connect Claude Desktop over MCP', file: 'docs/mcp.md' },
  { query: 'add my own markdown documents to the knowledge base', file: 'docs/knowledge-base.md' },
  { query: 'who may ingest documents?', file: 'docs/knowledge-base.md' },
  { query: 'does the assistant work without an OpenAI key?', file: 'docs/assistant.md' },
  { query: 'undo what the assistant just did', file: 'docs/assistant.md' },
  { query: 'sign in with Google', file: 'docs/accounts.md' },
  { query: 'how long does an access token last?', file: 'docs/accounts.md' },
  { query: 'what is Doable?', file: 'docs/getting-started.md' },
  // Sharing came after these lists were written: what they had as features Doable lacks is answered now.
  { query: 'can I share a task list with my team?', file: 'docs/tasks.md' },
  { query: 'how do I assign a task to a colleague?', file: 'docs/tasks.md' },
  { query: 'how do I invite my family to a shared grocery list?', file: 'docs/tasks.md' },
  // Asked by a newcomer trying the docs chat.
  { query: 'How do I share a list with my husband?', file: 'docs/tasks.md' },
  { query: 'what does p1 mean', file: 'docs/tasks.md' },
  // Once features it lacked; the guide now says so (getting-started.md, "What Doable does not do"), and saying no
  // from it is the right answer.
  { query: 'does Doable support Kanban boards?', file: 'docs/getting-started.md' },
  { query: 'does Doable send email reminders?', file: 'docs/getting-started.md' },
  { query: 'can I sync my tasks with Google Calendar?', file: 'docs/getting-started.md' },
  { query: 'does Doable work offline on my phone?', file: 'docs/getting-started.md' },
  { query: 'can I get a weekly summary by email?', file: 'docs/getting-started.md' },
  { query: 'How do I delete my account?', file: 'docs/getting-started.md' },
];
