import { expect } from 'chai';
import { substitute, TemplateError } from '../../src/compose/interpolate.js';
import { loadCompose, loadError, loadProject, yaml } from './helpers.js';

const vars: Record<string, string> = { NAME: 'web', EMPTY: '', PORT: '8080' };
const lookup = (n: string) => vars[n];
const sub = (t: string) => substitute(t, lookup);

describe('interpolation', () => {
  it('replaces $VAR and ${VAR}', () => {
    expect(sub('$NAME-${NAME}')).to.equal('web-web');
  });

  it('ends a bare $VAR name at the first character that cannot be in a name', () => {
    expect(sub('$NAME.local:$PORT/x')).to.equal('web.local:8080/x');
  });

  it('turns $$ into a literal dollar and does not expand what follows', () => {
    expect(sub('$$NAME costs $$5')).to.equal('$NAME costs $5');
  });

  it('uses the :- default when the variable is unset or empty, the - default only when unset', () => {
    expect(sub('${MISSING:-a}|${EMPTY:-b}|${NAME:-c}')).to.equal('a|b|web');
    expect(sub('${MISSING-a}|${EMPTY-b}|${NAME-c}')).to.equal('a||web');
  });

  it('uses the :+ replacement when set and not empty, the + replacement when set at all', () => {
    expect(sub('${NAME:+yes}|${EMPTY:+yes}|${MISSING:+yes}')).to.equal('yes||');
    expect(sub('${NAME+yes}|${EMPTY+yes}|${MISSING+yes}')).to.equal('yes|yes|');
  });

  it('interpolates variables nested inside defaults', () => {
    expect(sub('${MISSING:-${ALSO_MISSING:-$NAME}:${PORT}}')).to.equal('web:8080');
  });

  it('raises :? when unset or empty and ? only when unset, with the message', () => {
    expect(() => sub('${EMPTY:?must be set}')).to.throw(TemplateError, 'required variable EMPTY is missing a value: must be set');
    expect(sub('${EMPTY?must be set}')).to.equal('');
    expect(() => sub('${MISSING?gone}')).to.throw(TemplateError, 'required variable MISSING is missing a value: gone');
  });

  it('rejects an unclosed ${, an empty ${} and a bad name or operator inside braces', () => {
    for (const bad of ['a ${NAME', '${1ABC}', '${NAME!x}', '${}', '${NAME:-${}']) {
      expect(() => sub(bad), bad).to.throw(TemplateError, 'invalid interpolation format');
    }
  });

  it('keeps a $ that starts no variable, as compose-go does (shell commands, prices, positional parameters)', () => {
    expect(sub('cost: 5$')).to.equal('cost: 5$');
    expect(sub('echo $(date) $1 $@ $- $')).to.equal('echo $(date) $1 $@ $- $');
    expect(sub('$ {NAME}')).to.equal('$ {NAME}');
    expect(sub('${MISSING:-$(hostname)}:$PORT')).to.equal('$(hostname):8080');
    expect(sub('$$NAME $NAME')).to.equal('$NAME web');
  });

  it('interpolates every string value of a compose file but not its keys', () => {
    const p = loadCompose(yaml`
      services:
        web:
          image: nginx:\${TAG}
          labels:
            \${KEY}: \${VALUE}
    `, { env: { TAG: '1.27', KEY: 'k', VALUE: 'v' } });
    expect(p.services.web!.image).to.equal('nginx:1.27');
    expect(p.services.web!.labels).to.deep.equal({ '${KEY}': 'v' });
  });

  it('lets the process environment win over .env', () => {
    const p = loadProject({
      'compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n    hostname: ${HOST}\n',
      '.env': 'TAG=from-dotenv\nHOST=dotenv-host\n',
    }, { env: { TAG: 'from-shell' } });
    expect(p.services.web!.image).to.equal('nginx:from-shell');
    expect(p.services.web!.hostname).to.equal('dotenv-host');
  });

  it('warns once per unset variable and substitutes an empty string', () => {
    const p = loadCompose('services:\n  web:\n    image: nginx${SUFFIX}\n    hostname: h${SUFFIX}\n');
    expect(p.services.web!.image).to.equal('nginx');
    expect(p.warnings.map((w) => `${w.file}:${w.line} ${w.message}`)).to.deep.equal([
      'compose.yaml:3 The "SUFFIX" variable is not set. Defaulting to a blank string.',
    ]);
  });

  it('names the file, line, path and variable of an unset ${VAR:?msg}', () => {
    const msg = loadError(() => loadCompose(yaml`
      services:
        db:
          image: postgres
          environment:
            POSTGRES_PASSWORD: \${DB_PASSWORD:?set DB_PASSWORD}
    `));
    expect(msg).to.equal('compose.yaml:5: required variable DB_PASSWORD is missing a value for services.db.environment.POSTGRES_PASSWORD: set DB_PASSWORD. Set DB_PASSWORD in the environment or in the .env file.');
  });

  it('names the file, line and path of an invalid template', () => {
    const msg = loadError(() => loadCompose('services:\n  web:\n    image: nginx\n    command: echo ${\n'));
    expect(msg).to.equal('compose.yaml:4: invalid interpolation format in services.web.command: "echo ${". Write $$ for a literal dollar sign.');
  });

  it('points at the right item of a list', () => {
    const msg = loadError(() => loadCompose('services:\n  web:\n    image: nginx\n    command:\n      - ok\n      - ${X:?}\n'));
    expect(msg).to.match(/^compose\.yaml:6: required variable X is missing a value for services\.web\.command\[1\]\./);
  });
});
