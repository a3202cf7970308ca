/** The name above a card that stands alone (sign-in, an app asking to connect); decoration, hidden from readers. */
export function BrandLine() {
  return (
    <p className="brand" aria-hidden="true">
      <span className="brand-mark">✓</span> Doable
    </p>
  );
}
