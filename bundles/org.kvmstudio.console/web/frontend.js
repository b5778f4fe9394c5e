// The console page a frontend serves at https://<domain>:<port>/<entry>/: the websocket is the
// entry's own, beside this page; the VNC password is typed, or given once in the URL's fragment
// (#password=...), which browsers never send to a server and which is dropped from the address bar.
import { say, show } from './viewer.js';

const form = document.getElementById('login');
const input = document.getElementById('password');
const entry = decodeURIComponent(location.pathname.split('/').filter(s => s).pop() || '');
const socket = new URL('websockify', location.href);
socket.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
socket.search = '';
socket.hash = '';

let rfb = null;

function connect(password) {
    form.hidden = true;
    say('Connecting to ' + entry + '…', 'connecting');
    rfb = show(entry, socket.href, password, askAgain);
}

function askAgain() {
    form.hidden = false;
    input.value = '';
    input.focus();
}

form.addEventListener('submit', e => {
    e.preventDefault();
    if (rfb) rfb.disconnect();
    connect(input.value);
    input.value = '';
});

const fragment = new URLSearchParams(location.hash.slice(1));
history.replaceState(null, '', location.pathname);
if (fragment.get('password')) {
    connect(fragment.get('password'));
} else {
    input.focus();
}
