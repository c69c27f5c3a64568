// Sign-in: the API key goes to sessionStorage and every API call sends it as a Bearer token.
import { esc } from '../format.js';

export function renderLogin(el, signIn) {
  el.innerHTML = `<section class="login">
      <h1>Sign in</h1>
      <p>Paste your goodhart API key (<code>goodhart keys create</code> prints one). It is kept in this
      tab only and sent to this server alone.</p>
      <form id="login-form">
        <label>API key <input id="api-key" name="key" type="password" autocomplete="off" required></label>
        <button type="submit">Sign in</button>
      </form>
      <p id="login-error" class="error" hidden></p>
    </section>`;
  el.dataset.state = 'ready';
  document.getElementById('login-form').onsubmit = async (e) => {
    e.preventDefault();
    const key = new FormData(e.target).get('key');
    try {
      await signIn(key);
    } catch (error) {
      const out = document.getElementById('login-error');
      out.hidden = false;
      out.innerHTML = esc(error.message);
    }
  };
}
