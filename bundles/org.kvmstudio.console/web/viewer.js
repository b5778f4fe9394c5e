// What every console page shares: noVNC's RFB on the page's screen, scaled, with its status line and
// the Ctrl+Alt+Del button. Imported relatively, so that it works at / (KVM Studio's loopback server)
// and at /<entry>/ (a frontend).
import RFB from './novnc/core/rfb.js';

const status = document.getElementById('status');
const ctrlAltDel = document.getElementById('ctrlaltdel');
let current = null; // the latest connection: events of an earlier one no longer speak for the page

export function say(text, state) {
    status.textContent = text;
    document.body.dataset.state = state;
}

/**
 * Connects to the VNC websocket `url` with `password`; `onRefused` is told when the VNC server
 * refuses the password. The password is handed to RFB and kept nowhere else.
 */
export function show(title, url, password, onRefused) {
    document.title = title + ' — KVM Studio console';
    const rfb = new RFB(document.getElementById('screen'), url, { credentials: { password } });
    current = rfb;
    rfb.scaleViewport = true;
    const on = (event, handler) => rfb.addEventListener(event, e => { if (rfb === current) handler(e); });
    on('connect', () => {
        say('Connected to ' + title, 'connected');
        ctrlAltDel.disabled = false;
    });
    on('disconnect', e => {
        if (document.body.dataset.state !== 'refused') {
            say(e.detail.clean ? 'Disconnected from ' + title : 'The connection to ' + title + ' was lost', 'disconnected');
        }
        ctrlAltDel.disabled = true;
    });
    on('credentialsrequired', () => {
        say('The VNC server asks for a password', 'refused');
        rfb.disconnect();
        if (onRefused) onRefused();
    });
    on('securityfailure', e => {
        say('The VNC server refused the password' + (e.detail.reason ? ': ' + e.detail.reason : ''), 'refused');
        if (onRefused) onRefused();
    });
    ctrlAltDel.onclick = () => rfb.sendCtrlAltDel();
    return rfb;
}
