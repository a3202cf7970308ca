export function App() {
  return <main>Doable</main>;
}
