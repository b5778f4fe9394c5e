// KVM Studio's own console page: it asks KVM Studio once for the console it was opened for (the
// websocket and the VNC password never appear in its URL), then shows the guest's screen.
import { say, show } from './viewer.js';

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
    show(session.title, session.url, session.password);
}

start();
