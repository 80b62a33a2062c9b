// A placeholder that says what it is: the desktop client is not written yet, and nothing
// here pretends otherwise. It shows only facts the preload actually provides.
export function App() {
  const { platform, versions } = window.courier.app;
  return (
    <main className="start">
      <h1>Courier</h1>
      <p className="lead">The desktop app is being built.</p>
      <p>
        In the meantime, run the server with <code>npm run server</code>.
      </p>
      <p className="meta">
        Version {versions.app} · Electron {versions.electron} · {platform}
      </p>
    </main>
  );
}
