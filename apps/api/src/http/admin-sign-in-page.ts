/** The admin sign-in form for the queue dashboard (no script needed). */
export function adminSignInPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in — Pavilion operations</title></head>
<body>
<h1>Pavilion operations</h1>
<form method="post" action="/admin/sign-in">
<label>Email <input type="email" name="email" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}
