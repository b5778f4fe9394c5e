// The page around noVNC's RFB: it asks KVM Studio once for the console it was opened for (the
// websocket and the VNC password never appear in its URL), then shows the guest's screen, scaled.
import RFB from '/novnc/core/rfb.js';

const status = document.getElementById('status');
const ctrlAltDel = document.getElementById('ctrlaltdel');

function say(text, state) {
    status.textContent = text;
    document.body.dataset.state = state;
}

async function start() {
    const token = location.pathname.split('/').pop();
    let session;
    try {
        const reply = await fetch('/session/' + encodeURIComponent(token), { method: 'POST', cache: 'no-store' });
        if (!reply.ok) {
            say('This console link was used already or has expired: open the console again from KVM Studio.', 'failed');
            return;
        }
        session = await reply.json();
    } catch (e) {
        say('KVM Studio is not answering: ' + e.message, 'failed');
        return;
    }
    document.title = session.title + ' — KVM Studio console';
    const rfb = new RFB(document.getElementById('screen'), session.url, { credentials: { password: session.password } });
    rfb.scaleViewport = true;
    rfb.addEventListener('connect', () => {
        say('Connected to ' + session.title, 'connected');
        ctrlAltDel.disabled = false;
    });
    rfb.addEventListener('disconnect', e => {
        say(e.detail.clean ? 'Disconnected from ' + session.title : 'The connection to ' + session.title + ' was lost', 'disconnected');
        ctrlAltDel.disabled = true;
    });
    rfb.addEventListener('securityfailure', e => say('The VNC server refused the password: ' + e.detail.reason, 'failed'));
    ctrlAltDel.addEventListener('click', () => rfb.sendCtrlAltDel());
    session = { title: session.title }; // the password is not kept once given to RFB
}

start();
