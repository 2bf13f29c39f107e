// The single-page sample: plain fetch, no framework. Every call is same-origin with the session
// cookie; the unsafe ones carry X-CSRF (the filter's antiForgeryHeader), which a cross-site form
// cannot send and a cross-site script cannot send without a CORS preflight the filter refuses.
'use strict';

(function () {
  var SESSION = '../session';
  var API = '../anything/spa';
  var user = document.getElementById('user');
  var status = document.getElementById('status');
  var result = document.getElementById('result');

  // The filter answers a script (Accept: application/json) without a session with a JSON 401 that
  // names the login URL, never with a redirect to the identity provider.
  function logIn(loginUrl) {
    var url = loginUrl || '../login';
    var back = window.location.pathname + window.location.search;
    window.location.assign(url + (url.indexOf('?') < 0 ? '?' : '&') + 'return=' + encodeURIComponent(back));
  }

  function showUser() {
    return fetch(SESSION, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.json(); })
      .then(function (info) {
        if (!info.authenticated) {
          user.textContent = 'Not signed in.';
          user.className = 'signed-out';
          logIn(info.login_url);
          return;
        }
        user.textContent = 'Signed in as ' + info.sub + ' (session until '
          + new Date(info.expires_at * 1000).toLocaleString() + ')';
        user.className = 'signed-in';
      })
      .catch(function () { user.textContent = 'The session could not be read.'; });
  }

  function callApi() {
    status.textContent = 'Calling…';
    return fetch(API, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRF': '1'},
      body: JSON.stringify({from: 'spa'})
    }).then(function (r) {
      return r.text().then(function (text) {
        if (r.status === 401) {
          var body = {};
          try { body = JSON.parse(text); } catch (e) { body = {}; }
          status.textContent = 'The session has ended: signing in again…';
          logIn(body.login_url);
          return;
        }
        status.textContent = 'API answered ' + r.status;
        result.textContent = text;
      });
    }).catch(function () { status.textContent = 'The API could not be reached.'; });
  }

  document.getElementById('call').addEventListener('click', callApi);
  showUser();
}());
