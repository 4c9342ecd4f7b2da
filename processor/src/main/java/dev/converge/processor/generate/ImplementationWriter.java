package dev.converge.processor.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.converge.processor.model.Branch;
import dev.converge.processor.model.BranchKind;
import dev.converge.processor.model.CombinatorMethod;
import dev.converge.processor.model.ConvergeType;
import dev.converge.processor.model.ReturnForm;
import dev.converge.processor.model.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code ConvergeLookups}: the final class that implements the annotated type by handing
 * each method's arguments to the runtime engine ({@code RaceCall} or {@code JoinCall}). Methods stay
 * thin: check the arguments, attach each one, map the winner to its record or build the join
 * record.
 */
public final class ImplementationWriter {
  private static final ClassName RACE_CALL = ClassName.get("dev.converge", "RaceCall");
  private static final ClassName JOIN_CALL = ClassName.get("dev.converge", "JoinCall");
  private static final ClassName SLOT = JOIN_CALL.nestedClass("Slot");
  private static final ClassName COMPLETED_JOIN = ClassName.get("dev.converge", "CompletedJoin");
  private static final ClassName EXECUTORS = ClassName.get("dev.converge", "ConvergeExecutors");
  private static final String EXECUTOR_FIELD = "executor";

  /** The race's entry point for a stage in the first position; see {@link #race}. */
  private static final String FIRST_STAGE = "firstStage";

  private final GeneratedFiles files;

  /**
   * Creates the writer.
   *
   * @param files the settings every generated file shares
   */
  public ImplementationWriter(GeneratedFiles files) {
    this.files = files;
  }

  /**
   * Returns the file of the implementation class of {@code owner}.
   *
   * <p>Long because the class is built top to bottom in the order it reads (Javadoc, annotations,
   * fields, constructors, factories, methods), one JavaPoet builder call after another.
   *
   * @param owner the annotated type
   * @return the implementation's file
   */
  public JavaFile write(ConvergeType owner) {
    ClassName self = owner.implementation();
    TypeSpec.Builder type =
        TypeSpec.classBuilder(self)
            .addJavadoc(
                Javadocs.wrap(
                    "Implements {@link "
                        + displayName(owner)
                        + "} with the Converge"
                        + " engine: each method attaches its arguments, as branches, to a race or join with the"
                        + " rule its annotation names.\n\n<p>An instance holds nothing but the executor that"
                        + " runs {@code Callable} branches; it is immutable and safe for concurrent use.\n"));
    files.prepare(type, owner);
    type.addModifiers(Modifier.FINAL);
    if (owner.isInterface()) {
      type.addSuperinterface(owner.name());
    } else {
      type.superclass(owner.name());
    }
    type.addField(
        FieldSpec.builder(Executor.class, EXECUTOR_FIELD, Modifier.PRIVATE, Modifier.FINAL)
            .build());
    type.addMethod(
        MethodSpec.constructorBuilder()
            .addModifiers(Modifier.PRIVATE)
            .addParameter(Executor.class, EXECUTOR_FIELD)
            .addStatement("this.$N = $N", EXECUTOR_FIELD, EXECUTOR_FIELD)
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("create")
            .addJavadoc(
                Javadocs.wrap(
                    "Returns "
                        + Javadocs.article(displayName(owner))
                        + " {@link "
                        + displayName(owner)
                        + "} that runs"
                        + " {@code Callable} branches on {@code ConvergeExecutors.defaultExecutor()}: virtual"
                        + " threads where the JDK has them.\n\n@return a new instance\n"))
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(owner.name())
            .addStatement("return new $T($T.defaultExecutor())", self, EXECUTORS)
            .build());
    type.addMethod(
        MethodSpec.methodBuilder("create")
            .addJavadoc(
                Javadocs.wrap(
                    "Returns "
                        + Javadocs.article(displayName(owner))
                        + " {@link "
                        + displayName(owner)
                        + "} that runs {@code Callable} branches on {@code executor}.\n\n"
                        + "@param executor runs {@code Callable} branches\n"
                        + "@return a new instance\n"
                        + "@throws NullPointerException if {@code executor} is null\n"))
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .returns(owner.name())
            .addParameter(Executor.class, EXECUTOR_FIELD)
            .addStatement(
                "return new $T($T.requireNonNull($N, $S))",
                self,
                Objects.class,
                EXECUTOR_FIELD,
                EXECUTOR_FIELD)
            .build());
    for (CombinatorMethod method : owner.methods()) {
      type.addMethod(method(owner, method));
    }
    return files.file(owner, type.build());
  }

  private MethodSpec method(ConvergeType owner, CombinatorMethod method) {
    List<String> parameterNames =
        method.branches().stream().map(Branch::name).collect(Collectors.toList());
    LocalNames locals = new LocalNames(parameterNames);
    String executor =
        parameterNames.contains(EXECUTOR_FIELD) ? "this." + EXECUTOR_FIELD : EXECUTOR_FIELD;

    MethodSpec.Builder spec =
        MethodSpec.methodBuilder(method.name())
            .addJavadoc(methodJavadoc(owner, method))
            .addAnnotation(Override.class)
            .addModifiers(method.access())
            .addTypeVariables(method.typeVariables())
            .returns(returnType(method))
            .addExceptions(method.thrownTypes());
    for (Branch branch : method.branches()) {
      spec.addParameter(ParameterSpec.builder(branch.parameterType(), branch.name()).build());
    }
    for (Branch branch : method.branches()) {
      spec.addStatement("$T.requireNonNull($N, $S)", Objects.class, branch.name(), branch.name());
    }

    CodeBlock.Builder body = CodeBlock.builder();
    if (!method.rule().isRace()
        && method.form() != ReturnForm.BLOCKING
        && method.branches().stream().allMatch(branch -> branch.kind() == BranchKind.STAGE)) {
      completedJoin(method, body);
    }
    CodeBlock result =
        method.rule().isRace() ? race(method, executor) : join(method, executor, locals, body);
    if (method.form() == ReturnForm.BLOCKING) {
      result = CodeBlock.of("$L\n.await()", result);
    }
    if (method.form() == ReturnForm.BLOCKING && !method.rethrownCauses().isEmpty()) {
      String error = locals.allocate("e");
      String cause = locals.allocate("cause");
      body.beginControlFlow("try")
          .addStatement("return $L", result)
          .nextControlFlow("catch ($T $N)", CompletionException.class, error);
      for (TypeName declared : method.rethrownCauses()) {
        body.beginControlFlow("if ($N.getCause() instanceof $T $N)", error, declared, cause)
            .addStatement("throw $N", cause)
            .endControlFlow();
      }
      body.addStatement("throw $N", error).endControlFlow();
    } else {
      body.addStatement("return $L", result);
    }
    return spec.addCode(body.build()).build();
  }

  /**
   * {@code RaceCall.<R>firstCompleted(executor, 2).firstStage(a, false, R.A::new)…}, each keep
   * flag labelled with a {@code keep=} comment: a bare boolean argument says nothing to a reader.
   * A first parameter that is a stage is attached with {@code firstStage}, the others with
   * {@code stage}: the engine's two entry points are profiled apart by the JIT, which keeps the
   * compiled method small enough to be inlined into its caller (see docs/engine-notes.md).
   */
  private static CodeBlock race(CombinatorMethod method, String executor) {
    ClassName result = method.result().className();
    CodeBlock.Builder call =
        CodeBlock.builder()
            .add(
                "$T.<$T>$L($L, $L)",
                RACE_CALL,
                method.result().usage(),
                method.rule().factory(),
                executor,
                method.branches().size());
    boolean first = true;
    for (Branch branch : method.branches()) {
      String engineMethod =
          first && branch.kind() == BranchKind.STAGE ? FIRST_STAGE : branch.kind().engineMethod();
      call.add(
          "\n.$L($N, /* keep= */ $L, $T::new)",
          engineMethod,
          branch.name(),
          branch.keep(),
          result.nestedClass(branch.variantName()));
      first = false;
    }
    return call.build();
  }

  /**
   * Adds the join's locals to {@code body} and returns {@code call.combine(() -> new R(…))}. The
   * locals are named after the parameters but never clash with them.
   */
  private static CodeBlock join(
      CombinatorMethod method, String executor, LocalNames locals, CodeBlock.Builder body) {
    String call = locals.allocate("call");
    body.addStatement(
        "$T<$T> $N = $T.$L($L, $L)",
        JOIN_CALL,
        method.result().usage(),
        call,
        JOIN_CALL,
        method.rule().factory(),
        executor,
        method.branches().size());
    List<String> slots = new ArrayList<>();
    for (Branch branch : method.branches()) {
      String slot = locals.allocate(branch.name() + "Slot");
      slots.add(slot);
      body.addStatement(
          "$T<$T> $N = $N.$L($N, /* keep= */ $L)",
          SLOT,
          branch.typeArgument(),
          slot,
          call,
          branch.kind().engineMethod(),
          branch.name(),
          branch.keep());
    }
    String read = method.rule() == Rule.SETTLE_ALL ? "outcome" : "value";
    CodeBlock arguments =
        slots.stream()
            .map(slot -> CodeBlock.of("$N.$L()", slot, read))
            .collect(CodeBlock.joining(", "));
    return CodeBlock.of(
        "$N.combine(() -> new $T$L($L))",
        call,
        method.result().className(),
        method.result().isGeneric() ? "<>" : "",
        arguments);
  }

  /**
   * Adds {@code if (CompletedJoin.completedNormally(a) && …) return CompletedJoin.of(() -> new
   * R(CompletedJoin.valueNow(a), …));} to a join whose branches are all stages: inputs that have
   * all completed build the record without the engine, which keeps the method the JIT compiles
   * small enough to be inlined into its caller (see docs/engine-notes.md).
   */
  private static void completedJoin(CombinatorMethod method, CodeBlock.Builder body) {
    CodeBlock allCompleted =
        method.branches().stream()
            .map(branch -> CodeBlock.of("$T.completedNormally($N)", COMPLETED_JOIN, branch.name()))
            .collect(CodeBlock.joining("$W&& "));
    String read = method.rule() == Rule.SETTLE_ALL ? "outcomeNow" : "valueNow";
    CodeBlock values =
        method.branches().stream()
            .map(branch -> CodeBlock.of("$T.$L($N)", COMPLETED_JOIN, read, branch.name()))
            .collect(CodeBlock.joining(",$W"));
    body.beginControlFlow("if ($L)", allCompleted)
        .addStatement(
            "return $T.of(() -> new $T$L($L))",
            COMPLETED_JOIN,
            method.result().className(),
            method.result().isGeneric() ? "<>" : "",
            values)
        .endControlFlow();
  }

  private static TypeName returnType(CombinatorMethod method) {
    TypeName result = method.result().usage();
    switch (method.form()) {
      case COMPLETABLE_FUTURE:
        return ParameterizedTypeName.get(ClassName.get(CompletableFuture.class), result);
      case COMPLETION_STAGE:
        return ParameterizedTypeName.get(ClassName.get(CompletionStage.class), result);
      default:
        return result;
    }
  }

  private static CodeBlock methodJavadoc(ConvergeType owner, CombinatorMethod method) {
    boolean blocking = method.form() == ReturnForm.BLOCKING;
    Rule rule = method.rule();
    StringBuilder javadoc =
        new StringBuilder()
            .append(rule.isRace() ? "Races " : "Joins ")
            .append(Javadocs.parameterList(method.branches()))
            .append(", as declared by ")
            .append(Javadocs.link(owner.name(), method))
            .append(" (")
            .append(Javadocs.annotation(method))
            .append("): ")
            .append(rule.description())
            .append(".\n\n");
    String outside =
        blocking ? "" : ", or the returned future is completed or cancelled from" + " outside";
    String when;
    if (rule.isRace()) {
      when = "Once the race is decided" + outside;
    } else if (rule == Rule.FAIL_FAST) {
      when = "Once a branch fails" + outside;
    } else {
      when = blocking ? null : "Once the returned future is completed or cancelled from outside";
    }
    if (when != null) {
      javadoc.append("<p>").append(when).append(", every branch still running is cancelled");
    } else {
      javadoc.append("<p>No branch is cancelled by the join itself");
    }
    if (blocking) {
      javadoc.append(
          "; if the calling thread is interrupted while waiting, every branch still running"
              + " is cancelled and {@code InterruptedException} is thrown");
    }
    List<Branch> kept =
        method.branches().stream().filter(Branch::keep).collect(Collectors.toList());
    if (!kept.isEmpty()) {
      javadoc
          .append(". ")
          .append(Javadocs.parameterList(kept))
          .append(", marked {@code @Keep}, ")
          .append(kept.size() == 1 ? "is" : "are")
          .append(" never cancelled");
    }
    javadoc.append(
        ".\n\n<p>Throws {@code NullPointerException} naming the parameter if an"
            + " argument is null, before any branch starts.\n");
    return Javadocs.wrap(javadoc);
  }

  private static String displayName(ConvergeType owner) {
    return String.join(".", owner.name().simpleNames());
  }
}
