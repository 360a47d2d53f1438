package dev.wsrv.runtime.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wsrv.CommandData;
import dev.wsrv.Context;
import dev.wsrv.runtime.routing.RouteCatalog.CommandRoute;
import dev.wsrv.runtime.routing.RouteCatalog.PushRoute;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class RouteCatalogTest {

    record Item(String name) {
    }

    @SuppressWarnings("unused")
    static final class Handlers {
        public List<Item> list(Context ctx, Item filter) {
            return List.of();
        }

        public CompletionStage<Item> later(Item item) {
            return CompletableFuture.completedFuture(item);
        }

        public CompletableFuture<Map<String, Long>> future() {
            return new CompletableFuture<>();
        }

        @SuppressWarnings("rawtypes")
        public CompletionStage raw() {
            return new CompletableFuture<>();
        }

        @CommandData(Item.class)
        public void declared(Context ctx) {
        }
    }

    @dev.wsrv.Push(value = "tick", data = Item.class)
    @dev.wsrv.Push(value = "tock", data = String.class)
    static class Annotated {
        @dev.wsrv.Command("find")
        Item find(Item query) {
            return query;
        }
    }

    static class Subclass extends Annotated {
        @dev.wsrv.Command("count")
        public CompletableFuture<Long> count() {
            return new CompletableFuture<>();
        }
    }

    @dev.wsrv.Push(value = "tick", data = Long.class)
    static class TickAgain {
    }

    @Test
    void classesAreReadWithoutRunningThemAsTheTableWouldHoldThem() {
        RouteCatalog catalog = RouteCatalog.of(List.of(Subclass.class));
        assertThat(catalog.commands()).containsExactly(new CommandRoute("count", true, null, Long.class),
                new CommandRoute("find", true, Item.class, Item.class));
        assertThat(catalog.pushes()).isEmpty(); // @Push is declared per class, not inherited
        assertThat(RouteCatalog.of(List.of(Annotated.class)).pushes())
                .containsExactly(new PushRoute("tick", Item.class), new PushRoute("tock", String.class));
        assertThatThrownBy(() -> RouteCatalog.of(List.of(Annotated.class, TickAgain.class)))
                .isInstanceOf(IllegalStateException.class).hasMessage("push 'tick' declared twice");
        assertThatThrownBy(() -> RouteCatalog.of(List.of(Annotated.class, Subclass.class)))
                .isInstanceOf(IllegalStateException.class).hasMessage("duplicate handlers for command 'find'");
    }

    private static Method method(String name) {
        for (Method m : Handlers.class.getDeclaredMethods()) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @Test
    void commandMethodsGiveTheBoundTypeAndTheReplyTypeWithStagesUnwrapped() {
        Handlers h = new Handlers();
        RouteTable table = RouteTable.builder()
                .command("list", h, method("list"))
                .command("later", h, method("later"))
                .command("future", h, method("future"))
                .command("raw", h, method("raw"))
                .command("declared", h, method("declared"))
                .handle("ping", ctx -> ctx.ok("pong"))
                .build();
        List<CommandRoute> commands = table.catalog().commands();
        assertThat(commands).extracting(CommandRoute::cmd)
                .containsExactly("declared", "future", "later", "list", "ping", "raw");

        CommandRoute list = commands.get(3);
        assertThat(list.typed()).isTrue();
        assertThat(list.data()).isEqualTo(Item.class);
        assertThat(list.reply()).isInstanceOf(ParameterizedType.class);
        assertThat(list.reply().getTypeName()).isEqualTo("java.util.List<" + Item.class.getName() + ">");

        assertThat(commands.get(2)).isEqualTo(new CommandRoute("later", true, Item.class, Item.class));
        assertThat(commands.get(1).data()).isNull();
        assertThat(commands.get(1).reply().getTypeName()).isEqualTo("java.util.Map<java.lang.String, java.lang.Long>");
        assertThat(commands.get(5)).isEqualTo(new CommandRoute("raw", true, null, null));
        assertThat(commands.get(0)).isEqualTo(new CommandRoute("declared", true, Item.class, null));
        assertThat(commands.get(4)).isEqualTo(new CommandRoute("ping", false, null, null));
    }

    @Test
    void declaredPushesAreListedAndADuplicateFailsTheBuild() {
        RouteTable table = RouteTable.builder().push("b", Item.class).push("a", String.class).build();
        assertThat(table.catalog().pushes())
                .containsExactly(new PushRoute("a", String.class), new PushRoute("b", Item.class));
        assertThat(table.catalog().commands()).isEmpty();

        assertThatThrownBy(() -> RouteTable.builder().push("a", String.class).push("a", Item.class).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("push 'a' declared twice: java.lang.String and " + Item.class.getName());
        assertThatThrownBy(() -> RouteTable.builder().push("", String.class).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("push of java.lang.String: the command name must not be empty");
    }
}
