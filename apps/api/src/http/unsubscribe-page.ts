const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a reminder's unsubscribe link opens: a button that POSTs the one-click form (no script needed). */
export function unsubscribeConfirmPage(token: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stop reminders — Pavilion</title></head>
<body>
<h1>Stop reminders?</h1>
<p>You will no longer get reminder emails before the items you registered for. Confirmations and notices of
changes still reach you.</p>
<form method="post" action="?token=${escape(encodeURIComponent(token))}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Stop reminders</button>
</form>
</body>
</html>
`;
}
